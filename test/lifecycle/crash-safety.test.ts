import { expect } from "chai";
import { findLiveUser } from "../../src/store/user-store";
import { newTenant, userBody, type TestTenant } from "../support/test-server";
import { addCredential, credentialsOf } from "../support/admin";
import { childServer, viaServer, type RosterChild, startRosterChild } from "../support/roster-child";
import { createGroup, createUser, deactivatePatch, getUser, groupLeaderOf, managedBy, managerOf, ledBy } from "../support/scim";
import { storedAuditOf, transitionsOf } from "../support/store";
import { BULK_REQUEST, GROUP_MANAGER, ROSTER_USER, USER_MANAGER } from "../support/urns";
import { sleep, waitFor } from "../support/wait";

const BOOTSTRAP = "lifecycle-crash-bootstrap-token-0123";

/** Roster children share the run's database; each test stops the ones it started. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ROSTER_BOOTSTRAP_TOKEN: BOOTSTRAP, ROSTER_LEASE_MS: "500", ROSTER_JOB_INTERVAL_MS: "200", ...extra };
}

async function crashDuringDeactivation(tenant: TestTenant, child: RosterChild, leaderId: string): Promise<void> {
  const answer = await tenant.scim("PATCH", `/Users/${leaderId}`, deactivatePatch()).then(
    (res) => res.status,
    () => "no answer",
  );
  expect(answer).to.equal("no answer");
  expect(await child.exited).to.equal(70);
}

function logsAbout(children: RosterChild[], msg: string, field: string, value: string): number {
  return children.flatMap((c) => c.logs).filter((line) => line.msg === msg && line[field] === value).length;
}

/** What the background jobs of each child logged, to tell why a wait timed out. */
function jobLogSummary(children: RosterChild[]): string {
  return children
    .map((child) => {
      const counts: Record<string, number> = {};
      for (const line of child.logs) if (line.msg !== "request") counts[String(line.msg)] = (counts[String(line.msg)] ?? 0) + 1;
      return JSON.stringify(counts);
    })
    .join("\n");
}

/** SPEC §4 Crash safety: a deactivation interrupted half-way is completed, once, by the next process. */
describe("Crash safety (Roster as child processes)", function () {
  this.timeout(120_000);
  const started: RosterChild[] = [];
  async function start(env: Record<string, string>): Promise<RosterChild> {
    const child = await startRosterChild(env);
    started.push(child);
    return child;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => child.stop()));
  });

  it("resumes a cascade cut off after a step at the next start, without duplicate audit entries", async () => {
    // effects: 0 revokeSessions, 1 revokeApiKeys, 2–5 the four reports, 6 the group; die after step 3,
    // which is written with the whole hand-over phase (2–6, in bulk), before the audit entries and the bookkeeping
    const faulty = await start(childEnv({ ROSTER_TEST_CRASH_AFTER_EFFECT: "3" }));
    const tenant = await newTenant(childServer(faulty), "crash");
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const reports: any[] = [];
    for (let i = 1; i <= 4; i++) reports.push(await createUser(tenant, `report${i}`, managedBy(leader.id)));
    const group = await createGroup(tenant, "Leader's team", [], ledBy(leader.id));
    await addCredential(tenant, leader.id, "session");
    await addCredential(tenant, leader.id, "apiKey");

    await crashDuringDeactivation(tenant, faulty, leader.id);

    // half-offboarded: the commit and the steps happened, their bookkeeping did not
    const [pending] = await transitionsOf(tenant, leader.id);
    expect(pending.status).to.equal("pending");
    expect(pending.done).to.deep.equal([]);
    expect(await storedAuditOf(tenant, { action: "reports.reassign" })).to.have.length(0);
    const managers = await Promise.all(reports.map(async (r) => (await findLiveUser(tenant.id, r.id))!.enterprise?.manager?.value));
    expect(managers).to.deep.equal([boss.id, boss.id, boss.id, boss.id]);

    const healthy = await start(childEnv());
    const live = viaServer(tenant, healthy.url);
    const finished = await waitFor(async () => (await transitionsOf(tenant, leader.id))[0].status === "complete", 30_000);
    expect(finished, "transition completes").to.equal(true);

    expect((await getUser(live, leader.id)).body.active).to.equal(false);
    for (const report of reports) expect(managerOf((await getUser(live, report.id)).body)).to.equal(boss.id);
    expect(await groupLeaderOf(live, group.id)).to.equal(boss.id);
    expect((await credentialsOf(live, leader.id)).every((c) => c.revokedAt instanceof Date)).to.equal(true);

    expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(1);
    const reassigned = await storedAuditOf(tenant, { action: "reports.reassign" });
    expect(reassigned.map((e) => e.target).sort()).to.deep.equal([...reports.map((r) => r.id), group.id].sort());
    for (const entry of reassigned) {
      const path = entry.target === group.id ? GROUP_MANAGER : USER_MANAGER;
      expect(entry.before).to.deep.equal({ [path]: { value: leader.id } });
      expect(entry.after).to.deep.equal({ [path]: { value: boss.id } });
      expect(entry.cause).to.equal(leader.id);
    }
    const transitions = await transitionsOf(tenant, leader.id);
    expect(transitions).to.have.length(1);
    expect(transitions[0].done).to.have.members([0, 1, 2, 3, 4, 5, 6]);
    expect(logsAbout([healthy], "resuming cascade", "transition", transitions[0]._id)).to.equal(1);
  });

  it("runs each job exactly once with two instances on one database [leave dates, abandoned cascade]", async function () {
    // A leader with many reports makes the resumed cascade outlive its first lease, which must be renewed.
    // The lease is long enough that a loaded machine renews it in time: a takeover of a live cascade is
    // legal (and idempotent) but would make "resumed once" untrue for reasons that are not a bug.
    this.timeout(180_000);
    const env = { ROSTER_LEASE_MS: "4000", ROSTER_JOB_INTERVAL_MS: "100" };
    const faulty = await start(childEnv({ ...env, ROSTER_TEST_CRASH_AFTER_EFFECT: "0" }));
    const tenant = await newTenant(childServer(faulty), "twin");
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const created = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: Array.from({ length: 40 }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `r${i}`, data: userBody(`report${i}`, managedBy(leader.id)) })),
    });
    expect(created.status).to.equal(200);
    const reportIds: string[] = created.body.Operations.map((op: any) => String(op.location).split("/").pop());

    await crashDuringDeactivation(tenant, faulty, leader.id);
    const [abandoned] = await transitionsOf(tenant, leader.id);
    expect(abandoned.status).to.equal("pending");

    const twins = await Promise.all([start(childEnv(env)), start(childEnv(env))]);
    const live = viaServer(tenant, twins[0].url);
    // the leave dates pass only once the crashing instance is gone, however slow the set-up was
    const leaveAt = new Date(Date.now() + 6000).toISOString();
    const leavers: any[] = [];
    for (let i = 0; i < 5; i++) leavers.push(await createUser(live, `leaver${i}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ROSTER_USER], [ROSTER_USER]: { leaveDate: leaveAt } }));
    const done = await waitFor(async () => {
      const leaverStates = await Promise.all(leavers.map(async (u) => (await getUser(live, u.id)).body.active));
      const cascade = (await transitionsOf(tenant, leader.id))[0].status;
      return leaverStates.every((active) => active === false) && cascade === "complete";
    }, 80_000);
    if (!done) process.stderr.write(`${jobLogSummary(twins)}\n`);
    expect(done, "leavers deactivated and cascade completed").to.equal(true);
    await sleep(700); // more sweeps by both instances

    for (const leaver of leavers) {
      const deactivations = await storedAuditOf(tenant, { action: "user.deactivate", target: leaver.id });
      expect(deactivations).to.have.length(1);
      expect(deactivations[0].actor).to.equal("system:leave-date");
      // a second run would have recorded (and aborted) a second transition
      expect((await transitionsOf(tenant, leaver.id)).map((t) => t.status)).to.deep.equal(["complete"]);
      expect(logsAbout([faulty, ...twins], "deactivated by leave date", "user", leaver.id)).to.equal(1);
    }

    expect(await storedAuditOf(tenant, { action: "user.deactivate", target: leader.id })).to.have.length(1);
    const reassigned = await storedAuditOf(tenant, { action: "reports.reassign" });
    expect(reassigned).to.have.length(reportIds.length);
    expect(new Set(reassigned.map((e) => e.target)).size).to.equal(reportIds.length);
    for (const id of reportIds) expect(managerOf((await getUser(live, id)).body)).to.equal(boss.id);
    expect(logsAbout(twins, "resuming cascade", "transition", abandoned._id), "the abandoned cascade is resumed by one instance once").to.equal(1);
  });
});
