/**
 * `npm run crash -- --kills 100`: the long crash test (SPEC §4 Crash safety).
 * Starts a database by the SPEC §8 chain (MONGODB_URI first), kills a Roster
 * child at random moments while team leaders are offboarded, and prints what
 * the invariants found. Exit code 1 when any invariant broke.
 */
import { loadConfig } from "../../src/config/load-config";
import mongoose from "mongoose";
import { startDatabase } from "../../src/store/database/start-database";
import { runCrashRounds } from "./crash-harness";

const DB_NAME = "roster_crash";

async function main(): Promise<void> {
  const at = process.argv.indexOf("--kills");
  const kills = at >= 0 ? Number(process.argv[at + 1]) : 20;
  if (!Number.isInteger(kills) || kills < 1) throw new Error("--kills needs a positive integer");
  const database = await startDatabase({
    log: (line) => process.stderr.write(`${line}\n`),
    config: loadConfig(),
  });
  try {
    await mongoose.connect(database.uri, { dbName: DB_NAME, serverSelectionTimeoutMS: 10_000 });
    const report = await runCrashRounds({ kills, database: { uri: database.uri, name: DB_NAME }, log: (line) => process.stderr.write(`${line}\n`) });
    for (const problem of report.problems) process.stdout.write(`problem: ${problem}\n`);
    process.stdout.write(
      [
        `kills: ${report.kills}`,
        `half-offboarded users: ${report.halfOffboarded}`,
        `duplicate entries: ${report.duplicateEntries}`,
        `acknowledged writes lost: ${report.acknowledgedWritesLost}`,
        `database: ${database.kind} (${database.detail})`,
        `elapsed: ${(report.elapsedMs / 1000).toFixed(1)} s`,
      ].join("\n") + "\n",
    );
    process.exitCode = report.halfOffboarded + report.duplicateEntries + report.acknowledgedWritesLost + report.problems.length > 0 ? 1 : 0;
  } finally {
    await mongoose.disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`crash test failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
