import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { createTenant } from "../../src/services/tenant-admin";
import { TransitionModel } from "../../src/store/models";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { insertTransition } from "../../src/store/transition-store";
import { startRosterChild } from "../support/roster-child";
import { TEST_DB_NAME, testDatabaseUri } from "../support/root-hooks";
import { sleep } from "../support/wait";
import { CRASH_ENV, runCrashRounds, settle } from "./crash-harness";

/** SPEC §4 Crash safety: kill -9 at random moments; `npm run crash -- --kills 100` is the long version. */
describe("Crash safety under random kill -9 (Roster as child processes)", function () {
  this.timeout(120_000);

  it("leaves every leader fully offboarded or untouched, with no duplicate entry and no acknowledged write lost [3 kills]", async () => {
    const report = await runCrashRounds({ kills: 3, database: { uri: testDatabaseUri(), name: TEST_DB_NAME } });
    expect(report.problems).to.deep.equal([]);
    expect(report).to.deep.include({ kills: 3, halfOffboarded: 0, duplicateEntries: 0, acknowledgedWritesLost: 0 });
  });

  it("judges a round only once a transition the killed process's last write recorded after it exited is settled", async () => {
    const resumer = await startRosterChild(CRASH_ENV, { uri: testDatabaseUri(), name: TEST_DB_NAME });
    const tenant = `crash-${randomUUID().slice(0, 8)}`;
    try {
      await createTenant(tenant, undefined);
      const settled = settle(tenant);
      // what the database stores of a killed process's insertTransition once it reads it: its lease ran out already
      await sleep(50);
      const at = new Date(Date.now() - 1000);
      await insertTransition({
        _id: randomUUID(),
        tenant,
        userId: randomUUID(),
        userVersion: 1,
        action: "user.deactivate",
        actor: "crash-test",
        requestId: "late-write",
        at,
        before: { active: true },
        after: { active: false },
        effects: [],
        done: [],
        status: "pending",
        committed: false,
        leaseOwner: "killed-process",
        leaseUntil: at,
      });
      expect(await settled).to.equal(true);
      const transitions = await TransitionModel.find({ tenant }, { status: 1 }).lean<Array<{ status: string }>>().exec();
      expect(transitions.map((t) => t.status)).to.deep.equal(["aborted"]);
    } finally {
      await resumer.stop();
      await deleteTenantCascade(tenant);
    }
  });
});
