import { expect } from "chai";
import pino from "pino";
import { resumeAbandonedTransitions } from "../../src/jobs/run-jobs";
import { addCredential, auditOf, credentialsOf } from "../support/admin";
import { childServer, viaServer, startRosterChild, type RosterChild } from "../support/roster-child";
import { createGroup, createUser, getUser, groupLeaderOf, ledBy, managedBy, managerOf } from "../support/scim";
import { later, withRuntime } from "../support/runtime";
import { storedAuditOf, transitionsOf } from "../support/store";
import { newTenant, startTestServer, type TestServer, type TestTenant } from "../support/test-server";
import { waitFor } from "../support/wait";

const quiet = pino({ level: "silent" });
const BOOTSTRAP = "admin-offboarding-crash-token-0123";

interface Team {
  boss: string;
  leader: string;
  reports: string[];
  group: string;
  spare: string;
}

async function team(tenant: TestTenant): Promise<Team> {
  const boss = (await createUser(tenant, "boss")).id;
  const leader = (await createUser(tenant, "leader", managedBy(boss))).id;
  const reports = [(await createUser(tenant, "r1", managedBy(leader))).id, (await createUser(tenant, "r2", managedBy(leader))).id];
  const group = (await createGroup(tenant, "Team", [], ledBy(leader))).id;
  const spare = (await createUser(tenant, "spare")).id;
  await addCredential(tenant, leader, "session");
  await addCredential(tenant, leader, "apiKey");
  return { boss, leader, reports, group, spare };
}

/** Every choice applied and recorded once, as if nothing had been interrupted. */
async function expectChoicesApplied(tenant: TestTenant, t: Team, reason: string): Promise<void> {
  expect((await getUser(tenant, t.leader)).body.active).to.equal(false);
  expect(managerOf((await getUser(tenant, t.reports[0])).body)).to.equal(t.spare);
  expect(managerOf((await getUser(tenant, t.reports[1])).body), "the per-report choice").to.equal(t.boss);
  expect(await groupLeaderOf(tenant, t.group)).to.equal(t.spare);
  const credentials = await credentialsOf(tenant, t.leader);
  expect(credentials.find((c) => c.kind === "session")!.revokedAt).to.be.instanceOf(Date);
  expect(credentials.find((c) => c.kind === "apiKey")!.revokedAt, "revokeApiKeys false is kept").to.equal(null);
  const main = await storedAuditOf(tenant, { action: "user.deactivate", target: t.leader });
  expect(main).to.have.length(1);
  expect(main[0]).to.include({ reason });
  expect(main[0].choices).to.deep.equal(choicesFor(t));
  const reassigned = await auditOf(tenant, "action=reports.reassign");
  expect(reassigned).to.have.length(3);
  for (const entry of reassigned) expect(entry).to.include({ reason, cause: t.leader });
}

function choicesFor(t: Team): Record<string, unknown> {
  return { successor: t.spare, reassign: { reports: { [t.reports[1]]: t.boss } }, revokeApiKeys: false };
}

/** SPEC §4 Crash safety for administrator offboarding: the choices live in the transition record, so a resumed cascade applies them. */
describe("Administrator offboarding, crash-safe", function () {
  this.timeout(120_000);

  describe("in process (fault injection)", () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(async () => server.close());

    it("resumes a cascade cut off after the commit with the administrator's choices and reason", async () => {
      const tenant = await newTenant(server, "adcrash");
      const t = await team(tenant);
      const reported: string[] = [];
      // fails before the hand-over phase: the credentials are revoked, no report moved yet
      const answer = await withRuntime(
        {
          injectFault: (step) => {
            if (step === 2) throw new Error("test: database unavailable");
          },
          reportCascade: (report) => reported.push(report.outcome),
        },
        () => tenant.admin("POST", `/users/${t.leader}/deactivate`, { ...choicesFor(t), reason: "restructuring" }),
      );
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(reported).to.deep.equal(["failed"]);

      const [pending] = await transitionsOf(tenant, t.leader);
      expect(pending.status).to.equal("pending");
      expect(pending).to.include({ reason: "restructuring" });
      expect(pending.choices).to.deep.equal(choicesFor(t));
      for (const id of t.reports) expect(managerOf((await getUser(tenant, id)).body)).to.equal(t.leader);

      expect(await later(60_000, () => resumeAbandonedTransitions(quiet))).to.equal(1);
      expect((await transitionsOf(tenant, t.leader)).map((x) => x.status)).to.deep.equal(["complete"]);
      await expectChoicesApplied(tenant, t, "restructuring");
      // a second sweep changes nothing and duplicates nothing
      await later(120_000, () => resumeAbandonedTransitions(quiet));
      await expectChoicesApplied(tenant, t, "restructuring");
    });
  });

  describe("as a child process killed mid-cascade", () => {
    const started: RosterChild[] = [];
    afterEach(async () => {
      await Promise.all(started.splice(0).map((child) => child.stop()));
    });

    it("finishes the administrator's offboarding in the next process, once [kill after a step]", async () => {
      const env = { ROSTER_BOOTSTRAP_TOKEN: BOOTSTRAP, ROSTER_LEASE_MS: "500", ROSTER_JOB_INTERVAL_MS: "200" };
      // effects: 0 sessions, 1 r1, 2 r2, 3 the group (revokeApiKeys false): die after the hand-over is written
      const faulty = await startRosterChild({ ...env, ROSTER_TEST_CRASH_AFTER_EFFECT: "2" });
      started.push(faulty);
      const tenant = await newTenant(childServer(faulty), "adkill");
      const t = await team(tenant);
      const answer = await tenant.admin("POST", `/users/${t.leader}/deactivate`, { ...choicesFor(t), reason: "killed" }).then((res) => res.status, () => "no answer");
      expect(answer).to.equal("no answer");
      expect(await faulty.exited).to.equal(70);
      expect((await transitionsOf(tenant, t.leader))[0].status).to.equal("pending");

      const healthy = await startRosterChild(env);
      started.push(healthy);
      const live = viaServer(tenant, healthy.url);
      expect(await waitFor(async () => (await transitionsOf(tenant, t.leader))[0].status === "complete", 30_000), "transition completes").to.equal(true);
      await expectChoicesApplied(live, t, "killed");
    });
  });
});
