/**
 * Random kill -9 of a Roster process while team leaders are deactivated and
 * removed, with a second process resuming (SPEC §4 Crash safety, §10). Shared
 * by the short mocha test and `npm run crash -- --kills N`. The harness talks
 * to the children over HTTP and reads the database through mongoose, which the
 * caller has connected to the same database.
 */
import { randomUUID } from "node:crypto";
import { queryAudit } from "../../src/store/audit-store";
import { listCredentials } from "../../src/store/credential-store";
import { findGroupIdsLedBy } from "../../src/store/group-store";
import { AuditModel, GroupModel, TransitionModel, UserModel } from "../../src/store/models";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { findAnyUser, findReportIds } from "../../src/store/user-store";
import { createTenant, issueToken } from "../../src/services/tenant-admin";
import { ADMIN_TOKEN, request, userBody } from "../support/test-server";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { managedBy } from "../support/scim";
import { ROSTER_GROUP } from "../support/urns";
import { sleep, waitFor } from "../support/wait";

export interface CrashOptions {
  kills: number;
  database: { uri: string; name: string };
  /** the kill comes at a uniformly random moment this long after the writes are sent; default: measured */
  killWindowMs?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  /** leaders found fully offboarded, and found untouched (whose offboarding the kill came before) */
  leadersOffboarded: number;
  leadersUntouched: number;
  /** leader offboardings answered (any status) before their process was killed */
  answeredBeforeKill: number;
  halfOffboarded: number;
  duplicateEntries: number;
  acknowledgedWritesLost: number;
  problems: string[];
  elapsedMs: number;
}

/**
 * How long after the writes are sent the kill may come, as a multiple of how long they take when
 * nothing kills them (measured, since it varies tenfold with the database and the machine's load):
 * past 1, some rounds are killed after every answer, which keeps the measure current.
 */
const KILL_WINDOW_FACTOR = 1.3;

export const CRASH_ENV = { ROSTER_LEASE_MS: "400", ROSTER_JOB_INTERVAL_MS: "150", LOG_LEVEL: "warn" };

/**
 * How long nothing may be pending before a round counts as settled: a write the killed process sent
 * just before the kill can still land after the process exited (the database reads it from the
 * closed connection, queued behind other writes: on H2 every write waits for one lock and a commit),
 * e.g. a transition recorded after the harness last saw none pending, which the check then counts
 * as kept while its user is untouched. Such a transition's lease ran out already: longer than a
 * lease plus a sweep, the resumer aborts (or finishes) it before the second look.
 */
const QUIET_MS = 2 * (Number(CRASH_ENV.ROSTER_LEASE_MS) + Number(CRASH_ENV.ROSTER_JOB_INTERVAL_MS));

/** Waits until no transition of the tenant is pending, twice QUIET_MS apart (a resumer with CRASH_ENV running); false after 30 s. */
export async function settle(tenant: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  const nonePending = async () => (await TransitionModel.countDocuments({ tenant, status: "pending" }).exec()) === 0;
  while (Date.now() < deadline) {
    if (!(await waitFor(nonePending, Math.max(0, deadline - Date.now()), 100))) return false;
    await sleep(QUIET_MS);
    if (await nonePending()) return true;
  }
  return false;
}

interface Leader {
  id: string;
  reportIds: string[];
  groupIds: string[];
  op: "deactivate" | "remove";
  /** the status the killed process answered, or null when the kill came first */
  answered: number | null;
}

interface Round {
  tenant: string;
  leaders: Leader[];
  /** users whose create was answered 201 before the kill, with the title they were created with */
  created: Array<{ id: string; title: string }>;
  /** how long after sending every write was answered, or null when the kill came first */
  answeredAllMs: number | null;
}

/**
 * Runs `kills` rounds: set up a fresh tenant, fire leader offboardings and plain writes at a child,
 * kill it at a random moment, let the resumer settle what it left, check the invariants on that
 * tenant, and delete it, so every round costs the same however many came before.
 */
export async function runCrashRounds(options: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const resumer = await startRosterChild(CRASH_ENV, options.database);
  const report: CrashReport = { kills: 0, leadersOffboarded: 0, leadersUntouched: 0, answeredBeforeKill: 0, halfOffboarded: 0, duplicateEntries: 0, acknowledgedWritesLost: 0, problems: [], elapsedMs: 0 };
  let takesMs = 0;
  try {
    // the first kill comes only once every write is answered: that round measures how long they take
    for (let kill = 1; kill <= options.kills; kill++) {
      const roundStarted = Date.now();
      const victim = await startRosterChild(CRASH_ENV, options.database);
      const killAfterMs = kill === 1 ? Infinity : Math.random() * (options.killWindowMs ?? KILL_WINDOW_FACTOR * takesMs);
      // a set-up that fails must not leave the victim running after the run
      const round = await oneRound(victim, resumer.url, killAfterMs).catch(async (error: unknown) => {
        await victim.stop();
        throw error;
      });
      if (round.answeredAllMs !== null) takesMs = kill === 1 ? round.answeredAllMs : 0.7 * takesMs + 0.3 * round.answeredAllMs;
      report.kills++;
      // the resumer finishes (or aborts) whatever the killed process left pending
      const settled = await settle(round.tenant);
      if (!settled) report.problems.push(`${round.tenant}: transitions still pending`);
      const verdict = await check(round);
      report.leadersOffboarded += verdict.leadersOffboarded;
      report.leadersUntouched += verdict.leadersUntouched;
      report.answeredBeforeKill += round.leaders.filter((leader) => leader.answered !== null).length;
      report.halfOffboarded += verdict.halfOffboarded;
      report.duplicateEntries += verdict.duplicateEntries;
      report.acknowledgedWritesLost += verdict.acknowledgedWritesLost;
      report.problems.push(...verdict.problems);
      // a round that broke an invariant keeps its tenant, to be looked at
      if (verdict.problems.length === 0 && settled) await deleteTenantCascade(round.tenant);
      const answered = round.leaders.map((leader) => leader.answered ?? "killed").join(",");
      log(
        `kill ${kill}/${options.kills} (${((Date.now() - roundStarted) / 1000).toFixed(1)} s; killed ${killAfterMs === Infinity ? "after every answer" : `${Math.round(killAfterMs)} ms`} into writes taking ~${Math.round(takesMs)} ms; leaders answered ${answered}; ${round.created.length} creates acknowledged): ` +
          `offboarded ${report.leadersOffboarded}, untouched ${report.leadersUntouched}, half-offboarded ${report.halfOffboarded}, duplicate entries ${report.duplicateEntries}, acknowledged writes lost ${report.acknowledgedWritesLost}`,
      );
    }
    report.elapsedMs = Date.now() - started;
    return report;
  } finally {
    await resumer.stop();
  }
}

/** One tenant's set-up, then its writes sent to `victim`, killed `killAfterMs` later (Infinity: once every write is answered). */
async function oneRound(victim: RosterChild, resumerUrl: string, killAfterMs: number): Promise<Round> {
  const tenant = `crash-${randomUUID().slice(0, 8)}`;
  await createTenant(tenant, undefined);
  const { token } = await issueToken(tenant, "crash", "admin", "crash-setup");
  // set-up goes through the process that stays up, so only the offboardings race the kill
  const scim = (url: string) => (method: string, path: string, body?: unknown) => request(`${url}/scim/v2${path}`, method, { token, body });
  const admin = (method: string, path: string, body?: unknown) =>
    request(`${resumerUrl}/admin/v1/tenants/${tenant}${path}`, method, { token: ADMIN_TOKEN, body, headers: body === undefined ? {} : { "Content-Type": "application/json" } });
  const setup = scim(resumerUrl);
  const make = async (userName: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await setup("POST", "/Users", userBody(userName, extra));
    if (res.status !== 201) throw new Error(`set-up create ${userName}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const boss = await make("boss");
  const leaders: Leader[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await make(`leader${i}`, managedBy(boss));
    const reportIds = [await make(`l${i}r1`, managedBy(id)), await make(`l${i}r2`, managedBy(id))];
    const group = await setup("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", ROSTER_GROUP], displayName: `team ${i}`, members: reportIds.map((value) => ({ value })), [ROSTER_GROUP]: { manager: { value: id } } });
    if (group.status !== 201) throw new Error(`set-up group: ${group.status}`);
    await admin("POST", `/users/${id}/sessions`, {});
    await admin("POST", `/users/${id}/api-keys`, {});
    leaders.push({ id, reportIds, groupIds: [group.body.id], op: i % 2 === 0 ? "deactivate" : "remove", answered: null });
  }

  const send = scim(victim.url);
  const created: Round["created"] = [];
  const work: Array<Promise<unknown>> = leaders.map(async (leader) => {
    const res = leader.op === "deactivate" ? await send("PATCH", `/Users/${leader.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] }) : await send("DELETE", `/Users/${leader.id}`);
    leader.answered = res.status;
  });
  for (let i = 0; i < 4; i++) {
    work.push(
      (async () => {
        const title = `title-${randomUUID().slice(0, 6)}`;
        const res = await send("POST", "/Users", userBody(`plain${i}`, { title }));
        if (res.status === 201) created.push({ id: res.body.id, title });
      })(),
    );
  }
  const sent = Date.now();
  let answeredAllMs: number | null = null;
  let killed = false;
  const settled = Promise.allSettled(work).then(() => {
    // the writes of a killed process settle too, failing: only a round answered in full measures
    if (!killed) answeredAllMs = Date.now() - sent;
  });
  await (killAfterMs === Infinity ? settled : sleep(Math.floor(killAfterMs)));
  // kill -9 of the Roster child alone: the database runs in a process of its own and outlives it
  killed = true;
  victim.process.kill("SIGKILL");
  await Promise.race([settled, sleep(5000)]);
  await victim.exited;
  return { tenant, leaders, created, answeredAllMs };
}

async function check(round: Round): Promise<Pick<CrashReport, "leadersOffboarded" | "leadersUntouched" | "halfOffboarded" | "duplicateEntries" | "acknowledgedWritesLost" | "problems">> {
  const problems: string[] = [];
  let leadersOffboarded = 0;
  let leadersUntouched = 0;
  let halfOffboarded = 0;
  let duplicateEntries = 0;
  let acknowledgedWritesLost = 0;
  const { tenant } = round;
  const audit = await queryAudit({ tenant, limit: 1000 });
  const seen = new Map<string, number>();
  for (const entry of audit) {
    if (!["user.deactivate", "user.remove", "reports.reassign"].includes(entry.action)) continue;
    const key = `${entry.action}:${entry.target}:${entry.cause ?? ""}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [key, count] of seen) {
    if (count > 1) {
      duplicateEntries += count - 1;
      problems.push(`${tenant}: ${count} entries ${key}`);
    }
  }

  for (const leader of round.leaders) {
    const user = await findAnyUser(tenant, leader.id);
    if (!user) throw new Error(`leader ${leader.id} vanished`);
    const offboarded = !user.active || Boolean(user.deletedAt);
    const reports = (await findReportIds(tenant, leader.id)).filter((id) => id !== leader.id);
    const groups = await findGroupIdsLedBy(tenant, leader.id);
    const credentials = await listCredentials(tenant, leader.id);
    const main = audit.filter((entry) => entry.target === leader.id && (entry.action === "user.deactivate" || entry.action === "user.remove"));
    const reassigned = audit.filter((entry) => entry.action === "reports.reassign" && entry.cause === leader.id);
    const transitions = await TransitionModel.find({ tenant, userId: leader.id }, { status: 1 }).lean<Array<{ status: string }>>().exec();
    const kept = transitions.filter((t) => t.status !== "aborted").length;
    const full =
      offboarded &&
      reports.length === 0 &&
      groups.length === 0 &&
      credentials.every((c) => c.revokedAt !== null) &&
      main.length === 1 &&
      reassigned.length === leader.reportIds.length + leader.groupIds.length &&
      kept === 1 &&
      (leader.op === "remove" ? Boolean(user.deletedAt) : !user.active);
    const untouched = !offboarded && reports.length === leader.reportIds.length && groups.length === leader.groupIds.length && credentials.every((c) => c.revokedAt === null) && main.length === 0 && reassigned.length === 0 && kept === 0;
    if (full) leadersOffboarded++;
    else if (untouched) leadersUntouched++;
    else {
      halfOffboarded++;
      problems.push(`${tenant}: leader ${leader.id} half-offboarded ${JSON.stringify({ active: user.active, removed: Boolean(user.deletedAt), reports: reports.length, groups: groups.length, main: main.length, reassigned: reassigned.length, kept })}`);
      problems.push(`${tenant}: leader ${leader.id} as stored: ${JSON.stringify(await storedState(tenant, leader.id))}`);
    }
    const acknowledged = leader.answered !== null && leader.answered >= 200 && leader.answered < 300;
    if (acknowledged && !full) {
      acknowledgedWritesLost++;
      problems.push(`${tenant}: leader ${leader.id} answered ${leader.answered} but is not offboarded`);
    }
  }
  for (const { id, title } of round.created) {
    const user = await findAnyUser(tenant, id);
    if (!user || user.title !== title) {
      acknowledgedWritesLost++;
      problems.push(`${tenant}: created user ${id} lost`);
    }
  }
  return { leadersOffboarded, leadersUntouched, halfOffboarded, duplicateEntries, acknowledgedWritesLost, problems };
}

/**
 * What the database holds about a leader, read so that no index can answer ($or is never narrowed
 * by an index): tells a stale index answer from a cascade that did not run.
 */
async function storedState(tenant: string, leaderId: string): Promise<Record<string, unknown>> {
  const scan = { $or: [{ tenant }, { tenant: `${tenant}\u0000none` }] };
  const user = await UserModel.findOne({ ...scan, _id: leaderId }, { version: 1, active: 1, deletedAt: 1, lastTransition: 1 }).lean().exec();
  const reports = await UserModel.find({ ...scan, "enterprise.manager.value": leaderId }, { _id: 1, deletedAt: 1 }).lean().exec();
  const groups = await GroupModel.find({ ...scan, "roster.manager.value": leaderId }, { _id: 1 }).lean().exec();
  const transitions = await TransitionModel.find({ ...scan, userId: leaderId }, { before: 0, after: 0 }).lean().exec();
  const audit = await AuditModel.find({ ...scan, $and: [{ $or: [{ target: leaderId }, { cause: leaderId }] }] }, { _id: 1, action: 1, at: 1 }).lean().exec();
  return { checkedAt: new Date(), user, reports, groups, transitions, audit };
}
