import { expect } from "chai";
import pino from "pino";
import { resumeAbandonedTransitions } from "../../src/jobs/run-jobs";
import { insertTransition, type TransitionDoc } from "../../src/store/transition-store";
import { findAnyUser, replaceUserIfVersion } from "../../src/store/user-store";
import { newTenant, startTestServer, type TestServer } from "../support/test-server";
import { addCredential, credentialsOf } from "../support/admin";
import { createGroup, createUser, deactivatePatch, getUser, groupLeaderOf, managedBy, managerOf, reactivatePatch, ledBy } from "../support/scim";
import { later, withRuntime } from "../support/runtime";
import { storedAuditOf, transitionsOf } from "../support/store";

const quiet = pino({ level: "silent" });

/** SPEC §4 Crash safety, §10: the user's commit and the cascade's lease never disagree. */
describe("Transition commit and cascade", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("never aborts a transition whose commit lands after the sweep looked [stalled commit]", async () => {
    const tenant = await newTenant(server, "stall");
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const report = await createUser(tenant, "report", managedBy(leader.id));
    const current = (await findAnyUser(tenant.id, leader.id))!;
    // a process recorded the transition, then stalled past its lease before its commit write
    const transition: TransitionDoc = {
      _id: `stalled-${leader.id}`,
      tenant: tenant.id,
      userId: leader.id,
      userVersion: current.version,
      action: "user.deactivate",
      actor: "token",
      requestId: "req-stalled",
      at: new Date(),
      before: { active: true },
      after: { active: false },
      effects: [
        { kind: "revokeSessions", userId: leader.id },
        { kind: "reassignReport", reportId: report.id, from: leader.id, to: boss.id },
      ],
      done: [],
      status: "pending",
      committed: false,
      leaseOwner: "stalled-process",
      leaseUntil: new Date(Date.now() - 1000),
    };
    await insertTransition(transition);

    await later(0, () => resumeAbandonedTransitions(quiet));
    const swept = (await transitionsOf(tenant, leader.id))[0];
    expect(swept.status).to.equal("aborted");

    // the stalled commit arrives now: it must not land, or the user would be inactive with no cascade
    const landed = await replaceUserIfVersion({ ...current, active: false, version: current.version + 1, lastTransition: transition._id }, current.version);
    expect(landed, "a commit after the abort is fenced out").to.equal(false);
    expect((await getUser(tenant, leader.id)).body.active).to.equal(true);
  });

  it("resumes a committed transition even after a later transition of the user committed [superseded]", async () => {
    const tenant = await newTenant(server, "super");
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const report = await createUser(tenant, "report", managedBy(leader.id));
    // the deactivation's cascade is cut off before its first step, as by a process dying right after the commit
    const answer = await withRuntime({ injectFault: () => { throw new Error("test: cut off after the commit"); }, reportCascade: () => undefined }, () =>
      tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch()),
    );
    expect(answer.status).to.equal(200);
    // the user is reactivated before any sweep: it now carries the reactivation as its last transition
    expect((await tenant.scim("PATCH", `/Users/${leader.id}`, reactivatePatch())).status).to.equal(200);

    await later(60_000, () => resumeAbandonedTransitions(quiet));
    expect((await transitionsOf(tenant, leader.id)).map((t) => t.status)).to.deep.equal(["complete", "complete"]);
    // the deactivation happened, so its hand-over did too (SPEC §4 Reactivate: reassigned reports stay reassigned)
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(boss.id);
    expect(await storedAuditOf(tenant, { action: "user.deactivate", target: leader.id })).to.have.length(1);
  });

  it("answers the change as made when a cascade step fails after the commit, and the sweep completes it [database failure]", async () => {
    const tenant = await newTenant(server, "fail");
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const reports = [await createUser(tenant, "r1", managedBy(leader.id)), await createUser(tenant, "r2", managedBy(leader.id))];
    const group = await createGroup(tenant, "Team", [], ledBy(leader.id));
    await addCredential(tenant, leader.id, "session");
    const reported: string[] = [];
    // effects: 0 sessions, 1 api keys, 2–3 reports, 4 group: the database fails at the second report,
    // after the credentials were revoked and before the hand-over (2–4, written in bulk)
    const answer = await withRuntime(
      {
        injectFault: (step) => {
          if (step === 3) throw new Error("test: database unavailable");
        },
        reportCascade: (report) => reported.push(report.outcome),
      },
      () => tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch()),
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.active).to.equal(false);
    expect(reported).to.deep.equal(["failed"]);
    // the retry an identity provider may still send changes nothing and succeeds
    const retry = await tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch());
    expect(retry.status).to.equal(200);

    const [pending] = await transitionsOf(tenant, leader.id);
    expect(pending.status).to.equal("pending");
    expect(pending.done).to.deep.equal([]);
    expect((await credentialsOf(tenant, leader.id)).every((c) => c.revokedAt instanceof Date)).to.equal(true);
    for (const report of reports) expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(leader.id);

    expect(await later(60_000, () => resumeAbandonedTransitions(quiet))).to.equal(1);
    expect((await transitionsOf(tenant, leader.id)).map((t) => t.status)).to.deep.equal(["complete"]);
    for (const report of reports) expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(boss.id);
    expect(await groupLeaderOf(tenant, group.id)).to.equal(boss.id);
    expect((await credentialsOf(tenant, leader.id)).every((c) => c.revokedAt instanceof Date)).to.equal(true);
    expect(await storedAuditOf(tenant, { action: "reports.reassign" })).to.have.length(3);
    expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(1);
  });
});
