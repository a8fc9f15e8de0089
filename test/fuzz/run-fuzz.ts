/**
 * `npm run fuzz -- --requests 10000 [--seed N]`: a long fuzzing session against the real server on
 * the database the SPEC §8 chain picks (MONGODB_URI for a real MongoDB). Prints requests sent,
 * invariant violations, seed, database and elapsed time; exits 1 on any violation.
 */
import pino from "pino";
import { loadConfig } from "../../src/config/load-config";
import { startRoster } from "../../src/start-roster";
import { connectDatabase, disconnectDatabase } from "../../src/store/connection";
import { startDatabase } from "../../src/store/database/start-database";
import { describe, runFuzzSession } from "./fuzz-session";

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer`);
  return value;
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write("npm run fuzz -- [--requests N (default 10000)] [--seed N (default: random)]\n");
    return;
  }
  const requests = argument("requests", 10_000);
  const seed = argument("seed", Math.floor(Math.random() * 2 ** 31));
  process.stdout.write(`fuzz: seed ${seed}, ${requests} requests\n`);
  const config = loadConfig(process.env, { port: 0, rateLimit: { perSecond: 0, burst: 0 }, jobIntervalMs: 600_000 });
  const database = await startDatabase({
    log: (line) => process.stdout.write(`${line}\n`),
    config,
  });
  await connectDatabase(database.uri, "roster_fuzz");
  const roster = await startRoster(config, { connected: true, logger: pino({ level: "silent" }) });
  try {
    const report = await runFuzzSession({ url: roster.url, requests, seed, log: (line) => process.stdout.write(`${line}\n`) });
    for (const violation of report.violations) process.stdout.write(`#${violation.index} ${violation.problem}\n  ${describe(violation.request)}\n  -> ${violation.status} ${violation.body}\n`);
    process.stdout.write(`statuses: ${JSON.stringify(report.statuses)}\nrequests sent: ${report.requests}\ninvariant violations: ${report.violations.length}\nseed: ${seed}\ndatabase: ${database.kind}\nelapsed: ${(report.elapsedMs / 1000).toFixed(1)} s\n`);
    process.exitCode = report.violations.length ? 1 : 0;
  } finally {
    await roster.close();
    await disconnectDatabase();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
