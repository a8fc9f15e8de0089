import { parseArgs } from "node:util";
import { RosterError } from "../domain/roster-error";
import { callAdmin, ServerUnreachable } from "./admin-client";
import { COMMANDS, readInput, UsageError, type Command } from "./commands";
import { helpFor } from "./help-text";

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The environment values the CLI uses, handed over by bin/roster.js. */
export interface CliEnv {
  ROSTER_ADMIN_TOKEN?: string;
  ROSTER_URL?: string;
  PORT?: string;
}

export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

const OPTIONS = {
  url: { type: "string" },
  name: { type: "string" },
  label: { type: "string" },
  email: { type: "string" },
  role: { type: "string" },
  tenants: { type: "string" },
  actor: { type: "string" },
  file: { type: "string" },
  target: { type: "string" },
  action: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  count: { type: "string" },
  cursor: { type: "string" },
  delivery: { type: "string" },
  receiver: { type: "string" },
  events: { type: "string" },
  "secret-file": { type: "string" },
  status: { type: "string" },
  successor: { type: "string" },
  reports: { type: "string" },
  groups: { type: "string" },
  "api-keys": { type: "string" },
  reason: { type: "string" },
  "seat-limit": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const standardIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `roster …` (SPEC §2 CLI): parses the command line, calls the admin API, prints JSON; returns the exit status. */
export async function main(argv: string[], env: CliEnv, io: CliIo = standardIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") {
    io.stdout(helpFor(positionals[0] === "help" ? positionals[1] : positionals[0]));
    return positionals.length === 0 && !values.help ? EXIT.usage : EXIT.ok;
  }

  const command = findCommand(positionals);
  if (!command) return usage(io, `unknown command: roster ${positionals.slice(0, 2).join(" ")}`);
  const args = positionals.slice(command.words.length);
  const name = `roster ${command.words.join(" ")}`;
  if (args.length !== command.args.length) {
    return usage(io, `${name} takes ${command.args.length ? command.args.map((arg) => `<${arg}>`).join(" ") : "no arguments"}`);
  }
  const options: Record<string, string | undefined> = {};
  for (const [option, value] of Object.entries(values)) {
    if (option === "help" || option === "url") continue;
    if (!command.options.includes(option)) return usage(io, `${name} does not take --${option}`);
    options[option] = value as string;
  }

  const token = env.ROSTER_ADMIN_TOKEN;
  if (!token) return usage(io, "ROSTER_ADMIN_TOKEN is not set: export the admin token the server was started with, or your administrator token");
  const url = values.url ?? env.ROSTER_URL ?? `http://localhost:${env.PORT || 8080}`;

  try {
    const request = await command.build({ args, options, readInput });
    const answer = await callAdmin({ url, token }, request.method, request.path, request.body);
    if (answer.status >= 400) return refused(io, answer.status, answer.body);
    if (answer.body === undefined) io.stdout(`${request.done ?? "Done."}\n`);
    else io.stdout(`${JSON.stringify(answer.body, null, 2)}\n`);
    if (request.secretNote) io.stderr(`${request.secretNote}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    if (error instanceof ServerUnreachable) {
      io.stderr(`roster: ${error.message}. Is the server running (npm start)? Point at it with --url or ROSTER_URL.\n`);
      return EXIT.unreachable;
    }
    if (error instanceof RosterError) return refused(io, error.status, { detail: error.detail, errors: error.extra.errors });
    throw error;
  }
}

function findCommand(positionals: string[]): Command | undefined {
  // the longest name wins: `seats` is one word, `tokens issue` two
  return [...COMMANDS]
    .sort((a, b) => b.words.length - a.words.length)
    .find((command) => command.words.every((word, index) => positionals[index] === word));
}

function usage(io: CliIo, message: string): number {
  io.stderr(`roster: ${message}\nRun roster --help for usage.\n`);
  return EXIT.usage;
}

/** The admin API's `{status, detail, errors}`, one schema error per line. */
function refused(io: CliIo, status: number, body: unknown): number {
  const { detail, errors } = (typeof body === "object" && body !== null ? body : { detail: String(body ?? "") }) as { detail?: string; errors?: Array<{ path?: string; message?: string }> };
  io.stderr(`roster: ${status} ${detail ?? ""}\n`);
  for (const error of errors ?? []) io.stderr(`  ${error.path || "/"} ${error.message ?? ""}\n`);
  return EXIT.refused;
}
