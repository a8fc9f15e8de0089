import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import net from "node:net";
import { DatabaseUnavailable } from "./database-unavailable";

export interface SpawnServerOptions {
  /** name used in messages, e.g. "FerretDB" */
  name: string;
  command: string;
  args: string[];
  /** the line on stdout that says the server is listening */
  readyPattern: RegExp;
  host: string;
  port: number;
  readyTimeoutMs: number;
}

export interface SpawnedServer {
  /** stops the server: SIGTERM, then SIGKILL after a grace period */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

/**
 * Starts a database server as a child process and resolves once it both
 * printed its ready line and accepts TCP connections.
 *
 * The child must not outlive this process. Its stdin is a pipe that we never
 * close: the launchers exit when it reaches EOF, which also covers a parent
 * killed with SIGKILL. A normal exit additionally sends SIGTERM. All handles
 * are unref'd once the server is up, so a forgotten `stop()` never keeps
 * Node alive.
 */
export async function spawnServer(options: SpawnServerOptions): Promise<SpawnedServer> {
  const child = spawn(options.command, options.args, { stdio: ["pipe", "pipe", "pipe"] });
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.on("exit", killOnExit);

  let stderrTail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => process.removeListener("exit", killOnExit));

  try {
    await waitUntilReady(child, options, () => stderrTail);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }

  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }
  return { stop: () => stopChild(child, exited) };
}

function waitUntilReady(
  child: ChildProcessWithoutNullStreams,
  options: SpawnServerOptions,
  stderrTail: () => string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + options.readyTimeoutMs;
    let settled = false;
    let stdoutBuffer = "";
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.removeListener("data", onData);
      child.stdout.resume(); // keep draining so the child never blocks on a full pipe
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new Error(`${options.name} was not ready within ${options.readyTimeoutMs / 1000} s${describeStderr(stderrTail())}`)),
      options.readyTimeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      stdoutBuffer = (stdoutBuffer + chunk.toString("utf8")).slice(-4000);
      if (!options.readyPattern.test(stdoutBuffer)) return;
      // The ready line may come just before the socket is accepting; confirm over TCP.
      waitForTcp(options.host, options.port, deadline).then(
        () => finish(),
        (err: Error) => finish(new Error(`${options.name} printed its ready line but ${err.message}`)),
      );
    };
    child.stdout.on("data", onData);
    child.once("error", (err: NodeJS.ErrnoException) =>
      finish(err.code === "ENOENT" ? new DatabaseUnavailable(`\`${options.command}\` is not installed`) : err),
    );
    child.once("exit", (code, signal) =>
      finish(new Error(`${options.name} exited before it was ready (${signal ?? `exit code ${code}`})${describeStderr(stderrTail())}`)),
    );
  });
}

function describeStderr(stderr: string): string {
  const tail = stderr.trim().split("\n").slice(-5).join(" | ");
  return tail === "" ? "" : `: ${tail}`;
}

async function waitForTcp(host: string, port: number, deadline: number): Promise<void> {
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.setTimeout(1000);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} refuses connections`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcessWithoutNullStreams, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (gaveUp) {
    child.kill("SIGKILL");
    await exited;
  }
}
