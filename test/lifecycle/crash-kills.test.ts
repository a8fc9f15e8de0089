import { expect } from "chai";
import { TEST_DB_NAME, testDatabaseUri } from "../support/root-hooks";
import { runCrashRounds } from "./crash-harness";

/** SPEC §4 Crash safety: kill -9 at random moments; `npm run crash -- --kills 100` is the long version. */
describe("Crash safety under random kill -9 (Roster as child processes)", function () {
  this.timeout(120_000);

  it("leaves every leader fully offboarded or untouched, with no duplicate entry and no acknowledged write lost [3 kills]", async () => {
    const report = await runCrashRounds({ kills: 3, database: { uri: testDatabaseUri(), name: TEST_DB_NAME } });
    expect(report.problems).to.deep.equal([]);
    expect(report).to.deep.include({ kills: 3, halfOffboarded: 0, duplicateEntries: 0, acknowledgedWritesLost: 0 });
  });
});
