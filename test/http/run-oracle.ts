/**
 * `npm run oracle -- --operations N [--processes P] [--clients C] [--seed S] [--db KIND]`: the
 * long concurrency oracle (test/http/concurrency-oracle.ts) against P Roster child processes on
 * one database (the SPEC §8 chain, MONGODB_URI first; `--db` forces a kind like ROSTER_DB). Several
 * processes are refused on FerretDB, whose filtered updates are not atomic across processes.
 * Prints operations, statuses, lost updates and violations; exits 1 on any violation.
 */
import { DATABASE_CHOICES, loadConfig, type DatabaseChoice } from "../../src/config/load-config";
import { startDatabase } from "../../src/store/database/start-database";
import { runConcurrencyOracle } from "./concurrency-oracle";
import { isFerretdb, startRosterProcesses } from "./multi-process";

const HELP = `npm run oracle -- [--operations N (default 2000)] [--processes P (default 2)] [--clients C (default 10)] [--seed S (default: random)] [--db ${DATABASE_CHOICES.join("|")}]\n`;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function count(name: string, fallback: number, minimum = 1): number {
  const value = Number(option(name) ?? fallback);
  if (!Number.isSafeInteger(value) || value < minimum) throw new Error(`--${name} needs an integer of at least ${minimum}`);
  return value;
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(HELP);
    return;
  }
  const operations = count("operations", 2000);
  const processes = count("processes", 2);
  const clients = count("clients", 10);
  const seed = count("seed", Math.floor(Math.random() * 2 ** 31), 0);
  const db = option("db");
  if (db !== undefined && !(DATABASE_CHOICES as readonly string[]).includes(db)) throw new Error(`--db needs one of ${DATABASE_CHOICES.join(", ")}`);
  const config = loadConfig({ ...process.env, ...(db === undefined ? {} : { ROSTER_DB: db as DatabaseChoice }) });
  const database = await startDatabase({ log: (line) => process.stderr.write(`${line}\n`), config });
  try {
    if (processes > 1 && (database.kind === "ferretdb" || (database.kind === "external" && (await isFerretdb(database.uri))))) {
      process.stderr.write("oracle: several processes need a database whose filtered updates are atomic across processes; FerretDB's are not (README, Several processes): use --processes 1 or another --db\n");
      process.exitCode = 2;
      return;
    }
    const roster = await startRosterProcesses({ uri: database.uri, name: "roster_oracle", detail: database.detail, stop: async () => undefined }, processes);
    try {
      const tenants = await roster.newTenant();
      const report = await runConcurrencyOracle({ tenants, clients, operationsPerClient: Math.ceil(operations / clients), users: 12, groups: 2, seed });
      for (const violation of report.violations) process.stdout.write(`violation: ${violation}\n`);
      process.stdout.write(
        [
          `operations: ${report.operations} (${report.succeeded} answered 2xx; statuses ${JSON.stringify(report.statuses)})`,
          `lost updates: ${report.lostUpdates}`,
          `invariant violations: ${report.violations.length}`,
          `processes: ${processes}, clients: ${clients}, seed: ${seed}`,
          `database: ${database.kind} (${database.detail})`,
          `elapsed: ${(report.elapsedMs / 1000).toFixed(1)} s`,
        ].join("\n") + "\n",
      );
      process.exitCode = report.violations.length ? 1 : 0;
    } finally {
      await roster.stop();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`oracle failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
