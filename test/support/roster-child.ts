/**
 * Roster as a child process (`node dist/src/main.js`) on the run's database, for the
 * lifecycle and crash tests, and handles that address it like an in-process server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { findFreePort } from "../../src/store/database/find-free-port";
import { TEST_DB_NAME, testDatabaseUri } from "./root-hooks";
import { ADMIN_TOKEN, tenantAt, type TestServer, type TestTenant } from "./test-server";
import { waitFor } from "./wait";

/** Roster as a child process (`node dist/src/main.js`) on the run's database. */
export interface RosterChild {
  url: string;
  process: ChildProcess;
  /** JSON log lines written so far */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

const MAIN = path.resolve(__dirname, "../../src/main.js");

/** Starts a child Roster and waits until /healthz answers (SPEC §2); on the run's database unless told otherwise. */
export async function startRosterChild(env: Record<string, string> = {}, database?: { uri: string; name: string }): Promise<RosterChild> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: String(port),
      MONGODB_URI: database?.uri ?? testDatabaseUri(),
      ROSTER_DB_NAME: database?.name ?? TEST_DB_NAME,
      ROSTER_RATE_LIMIT: "0",
      ROSTER_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let pending = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const healthy = await Promise.race([
    waitFor(async () => (await fetch(`${url}/healthz`).then((r) => r.status === 200).catch(() => false)), 45_000, 50),
    exited.then(() => false),
  ]);
  if (!healthy) {
    child.kill("SIGKILL");
    throw new Error(`Roster child did not start: ${stderr}`);
  }
  return {
    url,
    process: child,
    logs,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A TestServer-shaped handle on a child, so newTenant can address it. */
export function childServer(child: RosterChild): TestServer {
  return { url: child.url, roster: undefined as never, close: async () => undefined };
}

/** The same tenant and token, talking to another Roster process. */
export function viaServer(tenant: TestTenant, url: string): TestTenant {
  return tenantAt(url, tenant.id, tenant.token);
}
