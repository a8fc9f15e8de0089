import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../src/store/database/find-free-port";

export interface RssSample {
  /** seconds since the server was ready */
  at: number;
  mb: number;
  /** the scenario running when the sample was taken */
  phase: string;
}

export interface ServerProcess {
  url: string;
  pid: number;
  logFile: string;
  samples: RssSample[];
  setPhase(phase: string): void;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const SAMPLE_MS = 250;

/** Resident set size of a process, from /proc (Linux). */
export function readRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the real server, `node dist/src/main.js`, as its own process against the
 * bench database (MONGODB_URI + ROSTER_DB_NAME), rate limit off, logs silent,
 * so its memory and CPU are its own and not the load generator's.
 */
export async function startServerProcess(mongodbUri: string, databaseName: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await findFreePort();
  const main = path.resolve(__dirname, "..", "src", "main.js");
  const logFile = path.join(os.tmpdir(), `roster-bench-server-${process.pid}.log`);
  const log = fs.openSync(logFile, "w");
  const env: NodeJS.ProcessEnv = {};
  // only what the server needs: no ROSTER_* of the caller's shell leaks in
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG", "NODE_OPTIONS"]) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, {
    MONGODB_URI: mongodbUri,
    ROSTER_DB_NAME: databaseName,
    ROSTER_RATE_LIMIT: "0",
    LOG_LEVEL: "silent",
    PORT: String(port),
    ...extraEnv,
  });
  const child: ChildProcess = spawn(process.execPath, [main], { env, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`the server ${exited}: ${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /healthz within ${READY_TIMEOUT_MS / 1000} s`);
    }
    const healthy = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const pid = child.pid!;
  const samples: RssSample[] = [];
  const readyAt = Date.now();
  let phase = "ready";
  const sample = () => {
    const mb = readRssMb(pid);
    if (mb !== undefined) samples.push({ at: (Date.now() - readyAt) / 1000, mb, phase });
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();

  return {
    url,
    pid,
    logFile,
    samples,
    setPhase(next: string) {
      phase = next;
      sample();
    },
    async stop() {
      sample();
      clearInterval(timer);
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timeout);
    },
  };
}
