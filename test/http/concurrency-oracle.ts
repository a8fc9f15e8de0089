/**
 * The concurrency oracle (SPEC §3, §5, RFC 7644 §3.14), shared by the mocha tests (one process,
 * two processes) and `npm run oracle`: seeded clients send member add/remove/replace, group PUT
 * and renames (alone and in /Bulk), user PATCH/PUT, deactivate/reactivate, with and without
 * If-Match, each client through one of the given Roster processes. Then: every answer is a
 * success or a precise refusal, every 2xx write is in the audit log, no refused write is, and the
 * final members and `active` equal the serial replay of the audit log. HTTP only (the audit log
 * through the admin API), so it needs no connection to the processes' database. No mocha hooks.
 */
import { userBody, type HttpResult, type TestTenant } from "../support/test-server";
import { patchOp } from "../support/scim";
import { CORE_GROUP, BULK_REQUEST } from "../support/urns";
import { seededRandom } from "../../bench/seeded-random";

export interface OracleOptions {
  /** the same tenant through each Roster process; client n talks to `tenants[n % tenants.length]` */
  tenants: TestTenant[];
  clients: number;
  operationsPerClient: number;
  users: number;
  groups: number;
  seed: number;
}

export interface OracleReport {
  operations: number;
  succeeded: number;
  statuses: Record<number, number>;
  /** 2xx writes missing from the audit log, and final values the audit replay does not give */
  lostUpdates: number;
  /** every broken invariant, one line each (lost updates included) */
  violations: string[];
  elapsedMs: number;
}

interface Outcome {
  requestId: string;
  status: number;
  /** the write changes something whenever it succeeds, so it must leave an audit entry */
  mustAudit: boolean;
}

const ACCEPTED_STATUSES = [200, 201, 204, 409, 412];

/** Runs the clients at once, then checks the invariants; never throws on a violation, it reports it. */
export async function runConcurrencyOracle(options: OracleOptions): Promise<OracleReport> {
  const started = Date.now();
  const [setup] = options.tenants;
  const users: string[] = [];
  for (let index = 0; index < options.users; index++) users.push(await created(setup.scim("POST", "/Users", userBody(`member-${index}`))));
  const groups: string[] = [];
  for (let index = 0; index < options.groups; index++) {
    const members = users.slice(index, index + 4).map((value) => ({ value }));
    groups.push(await created(setup.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: `Group ${index}`, members })));
  }

  const random = seededRandom(options.seed);
  const seeds = Array.from({ length: options.clients }, () => Math.floor(random() * 2 ** 32));
  const outcomes = (
    await Promise.all(seeds.map((seed, client) => runClient(options.tenants[client % options.tenants.length], client, options.operationsPerClient, seededRandom(seed), users, groups)))
  ).flat();

  const violations: string[] = [];
  let lostUpdates = 0;
  const statuses: Record<number, number> = {};
  for (const outcome of outcomes) {
    statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
    if (!ACCEPTED_STATUSES.includes(outcome.status)) violations.push(`${outcome.requestId}: answered ${outcome.status}`);
  }
  const succeeded = new Set(outcomes.filter((outcome) => outcome.status < 300).map((outcome) => outcome.requestId));

  const entries = await auditOldestFirst(setup);
  const audited = new Set(entries.map((entry) => entry.requestId));
  for (const outcome of outcomes) {
    // a refused write leaves no trace, a successful one that changes something leaves its entry
    if (!succeeded.has(outcome.requestId)) {
      if (audited.has(outcome.requestId)) violations.push(`${outcome.requestId} failed (${outcome.status}) but is audited`);
    } else if (outcome.mustAudit && !audited.has(outcome.requestId)) {
      lostUpdates++;
      violations.push(`${outcome.requestId} succeeded but is not audited`);
    }
  }

  // the member deltas replayed in audit order (at, then id) give the final member sets
  const replayed = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.action !== "group.create" && entry.action !== "group.update") continue;
    const members = replayed.get(entry.target) ?? new Set<string>();
    replayed.set(entry.target, members);
    for (const { value } of entry.before?.members ?? []) {
      if (!members.has(value)) violations.push(`${entry.requestId} removes ${value}, not a member then`);
      members.delete(value);
    }
    for (const { value } of entry.after?.members ?? []) {
      if (members.has(value)) violations.push(`${entry.requestId} adds ${value}, a member already`);
      members.add(value);
    }
  }
  const membersOf = new Map<string, string[]>();
  for (const group of groups) {
    const actual = await memberIdsOf(setup, group);
    membersOf.set(group, actual);
    const expected = [...(replayed.get(group) ?? [])].sort();
    const missing = expected.filter((id) => !actual.includes(id));
    const extra = actual.filter((id) => !expected.includes(id));
    if (missing.length + extra.length > 0) {
      lostUpdates += missing.length + extra.length;
      violations.push(`members of ${group}: ${missing.length} replayed but absent, ${extra.length} present but not replayed`);
    }
  }

  // a user's `groups` names exactly the groups holding it, each by its name now, however renames and member writes raced
  const names = new Map<string, string>();
  for (const group of groups) names.set(group, (await setup.scim("GET", `/Groups/${group}?attributes=displayName`)).body.displayName);
  for (const user of users) {
    const shown = ((await setup.scim("GET", `/Users/${user}?attributes=groups`)).body.groups ?? []) as Array<{ value: string; display: string }>;
    const expected = groups.filter((group) => membersOf.get(group)?.includes(user)).map((group) => `${group}=${names.get(group)}`).sort();
    const actual = shown.map((group) => `${group.value}=${group.display}`).sort();
    if (expected.join() !== actual.join()) violations.push(`groups of ${user}: shown ${actual.join(", ") || "none"}, the groups say ${expected.join(", ") || "none"}`);
  }

  // a user's `active` is that of the last transition the audit log records
  for (const user of users) {
    const transitions = entries.filter((entry) => entry.target === user && (entry.action === "user.deactivate" || entry.action === "user.reactivate"));
    const expected = transitions.length ? transitions[transitions.length - 1].action === "user.reactivate" : true;
    const actual = (await setup.scim("GET", `/Users/${user}`)).body.active;
    if (actual !== expected) {
      lostUpdates++;
      violations.push(`active of ${user} is ${actual}, the audit replay gives ${expected}`);
    }
  }
  return { operations: outcomes.length, succeeded: succeeded.size, statuses, lostUpdates, violations, elapsedMs: Date.now() - started };
}

interface AuditEntry {
  action: string;
  target: string;
  requestId: string;
  before?: { members?: Array<{ value: string }> };
  after?: { members?: Array<{ value: string }> };
}

/** The tenant's whole audit log, oldest first (the admin API pages newest first). */
async function auditOldestFirst(tenant: TestTenant): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await tenant.admin("GET", `/audit?count=1000${cursor ? `&cursor=${cursor}` : ""}`);
    if (page.status !== 200) throw new Error(`audit read: ${page.status} ${JSON.stringify(page.body)}`);
    entries.push(...page.body.entries);
    cursor = page.body.nextCursor;
  } while (cursor);
  return entries.reverse();
}

async function created(response: Promise<HttpResult>): Promise<string> {
  const result = await response;
  if (result.status !== 201) throw new Error(`oracle set-up: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.id;
}

async function memberIdsOf(tenant: TestTenant, group: string): Promise<string[]> {
  const read = await tenant.scim("GET", `/Groups/${group}`);
  if (read.status !== 200) throw new Error(`oracle read of ${group}: ${read.status}`);
  return ((read.body.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
}

/** One client's random operations, one at a time. */
async function runClient(tenant: TestTenant, client: number, operations: number, random: () => number, users: string[], groups: string[]): Promise<Outcome[]> {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const some = (): string[] => users.filter(() => random() < 0.3);
  const outcomes: Outcome[] = [];
  for (let n = 0; n < operations; n++) {
    const requestId = `oracle-${client}-${n}`;
    const unique = `c${client}n${n}`;
    const withIfMatch = random() < 0.3;
    const headers: Record<string, string> = { "X-Request-Id": requestId };
    const group = pick(groups);
    const user = pick(users);
    const ifMatchOf = async (path: string) => {
      if (withIfMatch) headers["If-Match"] = (await tenant.scim("GET", path)).headers.get("etag") ?? "";
    };
    let result: HttpResult;
    let mustAudit = false;
    const kind = Math.floor(random() * 10);
    switch (kind) {
      case 0:
      case 1: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "add", path: "members", value: [{ value: user }, { value: pick(users) }] }), headers);
        break;
      }
      case 2: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "remove", path: `members[value eq "${user}"]` }), headers);
        break;
      }
      case 3: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "replace", path: "members", value: some().map((value) => ({ value })) }), headers);
        break;
      }
      case 4: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PUT", `/Groups/${group}`, { schemas: [CORE_GROUP], displayName: `Group ${unique}`, members: some().map((value) => ({ value })) }, headers);
        mustAudit = true;
        break;
      }
      case 5: {
        const rename = random() < 0.5;
        const data = rename ? patchOp({ op: "replace", path: "displayName", value: `Bulk ${unique}` }) : patchOp({ op: "add", path: "members", value: [{ value: user }] });
        const bulk = await tenant.scim("POST", "/Bulk", { schemas: [BULK_REQUEST], Operations: [{ method: "PATCH", path: `/Groups/${group}`, data }] }, headers);
        const status = bulk.status === 200 ? Number(bulk.body.Operations[0].status) : bulk.status;
        result = { ...bulk, status };
        mustAudit = rename;
        break;
      }
      case 6: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "replace", path: "displayName", value: `Renamed ${unique}` }, { op: "add", path: "members", value: [{ value: user }] }), headers);
        mustAudit = true;
        break;
      }
      case 7: {
        await ifMatchOf(`/Users/${user}`);
        result = await tenant.scim("PATCH", `/Users/${user}`, patchOp({ op: "replace", path: "displayName", value: `User ${unique}` }), headers);
        mustAudit = true;
        break;
      }
      case 8: {
        await ifMatchOf(`/Users/${user}`);
        const userName = `member-${users.indexOf(user)}`;
        result = await tenant.scim("PUT", `/Users/${user}`, userBody(userName, { displayName: `Put ${unique}` }), headers);
        mustAudit = true;
        break;
      }
      default: {
        await ifMatchOf(`/Users/${user}`);
        result = await tenant.scim("PATCH", `/Users/${user}`, patchOp({ op: "replace", path: "active", value: random() < 0.5 ? "False" : true }), headers);
        break;
      }
    }
    outcomes.push({ requestId, status: result.status, mustAudit });
  }
  return outcomes;
}
