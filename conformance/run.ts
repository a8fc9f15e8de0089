/**
 * `npm run conformance -- --base <url> --token <token> [--suite okta|entra|all]
 * [--owner <user id>] [--keep]`: replays Okta's and Entra's traffic against a
 * running server and exits non-zero when a step fails.
 */
import * as entra from "./entra-sequence";
import * as okta from "./okta-sequence";
import { Report } from "./report";
import type { SequenceOptions } from "./sequence-options";

export const SUITES = { okta: okta.run, entra: entra.run } as const;
export type SuiteName = keyof typeof SUITES;

export interface RunArguments extends SequenceOptions {
  base: string;
  token: string;
  suites: SuiteName[];
}

const USAGE = `usage: npm run conformance -- --base <scim base url> --token <bearer token> [--suite okta|entra|all] [--owner <user id>] [--keep]
  --base    e.g. http://localhost:8080/scim/v2 (or ROSTER_BASE_URL)
  --token   a SCIM bearer token of the tenant (or ROSTER_TOKEN)
  --suite   which identity provider to replay (default: all)
  --owner   the tenant's account owner, if it has one (the lifecycle steps expect reports to go to them)
  --keep    leave the users and groups the run creates`;

export class UsageError extends Error {}

/** Parses the command line (and ROSTER_BASE_URL / ROSTER_TOKEN as fallbacks). */
export function parseArguments(argv: string[], env: NodeJS.ProcessEnv = {}): RunArguments {
  const values: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = match;
    if (name === "keep" || name === "help") {
      values[name] = true;
    } else if (inline !== undefined) {
      values[name] = inline;
    } else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      values[name] = next;
    }
  }
  if (values.help) throw new UsageError("");
  for (const name of Object.keys(values)) {
    if (!["base", "token", "suite", "owner", "keep"].includes(name)) throw new UsageError(`unknown option --${name}`);
  }
  const base = (values.base as string | undefined) ?? env.ROSTER_BASE_URL;
  const token = (values.token as string | undefined) ?? env.ROSTER_TOKEN;
  if (!base) throw new UsageError("--base is required");
  if (!token) throw new UsageError("--token is required");
  const suite = (values.suite as string | undefined) ?? "all";
  let suites: SuiteName[];
  if (suite === "all") suites = ["okta", "entra"];
  else if (suite === "okta" || suite === "entra") suites = [suite];
  else throw new UsageError(`--suite must be okta, entra or all; got "${suite}"`);
  return { base, token, suites, ownerId: values.owner as string | undefined, keep: values.keep === true };
}

/** Runs the chosen suites into `report`; a suite that throws (e.g. the server is down) counts as one failed step. */
export async function runSuites(args: RunArguments, report: Report): Promise<void> {
  for (const name of args.suites) {
    try {
      await SUITES[name](args.base, args.token, report, { ownerId: args.ownerId, keep: args.keep });
    } catch (error) {
      await report.step(name, "runs to its end", async () => {
        throw error;
      });
    }
  }
}

async function main(): Promise<number> {
  let args: RunArguments;
  try {
    args = parseArguments(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const report = new Report();
  report.note(`conformance against ${args.base}: ${args.suites.join(", ")}`);
  await runSuites(args, report);
  for (const suite of report.suites()) {
    report.note(`${suite}: ${report.passed(suite).length} passed, ${report.failed(suite).length} failed`);
  }
  const failed = report.failed();
  if (failed.length > 0) {
    process.stdout.write("\nFailed steps:\n");
    for (const result of failed) process.stdout.write(`  ${result.suite}: ${result.name}\n    ${result.why}\n`);
  }
  process.stdout.write(`${report.passed().length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`conformance run crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
