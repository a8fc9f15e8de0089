/**
 * `npm run crash -- --kills 100 [--db mongo-java-server]`: the long crash test (SPEC §4 Crash
 * safety). Starts a database by the SPEC §8 chain (MONGODB_URI first; `--db` forces one kind, like
 * ROSTER_DB) in its own process, kills Roster child processes with kill -9 at random moments while
 * team leaders are offboarded (never the database, which outlives every kill), checks the
 * invariants after each round and prints what they found. Exit code 1 when any invariant broke.
 */
import { DATABASE_CHOICES, loadConfig, type DatabaseChoice } from "../../src/config/load-config";
import mongoose from "mongoose";
import { startDatabase } from "../../src/store/database/start-database";
import { runCrashRounds } from "./crash-harness";

const DB_NAME = "roster_crash";
const HELP = `npm run crash -- [--kills N (default 20)] [--db ${DATABASE_CHOICES.join("|")} (default: ROSTER_DB, else auto)] [--window-ms N (the kill comes at a random moment up to N ms after the writes; default: 1.3 × how long they take, measured)]\n`;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(HELP);
    return;
  }
  const kills = Number(option("kills") ?? 20);
  if (!Number.isInteger(kills) || kills < 1) throw new Error("--kills needs a positive integer");
  const window = option("window-ms");
  const killWindowMs = window === undefined ? undefined : Number(window);
  if (killWindowMs !== undefined && (!Number.isInteger(killWindowMs) || killWindowMs < 0)) throw new Error("--window-ms needs a non-negative integer");
  const db = option("db");
  if (db !== undefined && !(DATABASE_CHOICES as readonly string[]).includes(db)) throw new Error(`--db needs one of ${DATABASE_CHOICES.join(", ")}`);
  const config = loadConfig({ ...process.env, ...(db === undefined ? {} : { ROSTER_DB: db as DatabaseChoice }) });
  const database = await startDatabase({ log: (line) => process.stderr.write(`${line}\n`), config });
  try {
    await mongoose.connect(database.uri, { dbName: DB_NAME, serverSelectionTimeoutMS: 10_000 });
    const report = await runCrashRounds({ kills, killWindowMs, database: { uri: database.uri, name: DB_NAME }, log: (line) => process.stderr.write(`${line}\n`) });
    for (const problem of report.problems) process.stdout.write(`problem: ${problem}\n`);
    process.stdout.write(
      [
        `kills: ${report.kills}`,
        `leaders fully offboarded: ${report.leadersOffboarded}, untouched: ${report.leadersUntouched}, offboardings answered before the kill: ${report.answeredBeforeKill}`,
        `half-offboarded users: ${report.halfOffboarded}`,
        `duplicate entries: ${report.duplicateEntries}`,
        `acknowledged writes lost: ${report.acknowledgedWritesLost}`,
        `problems: ${report.problems.length}`,
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
