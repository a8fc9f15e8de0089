import { spawn } from "node:child_process";
import { DatabaseUnavailable } from "./database-unavailable";

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
}

/**
 * Runs a build command to completion with a time limit. A missing program is
 * a {@link DatabaseUnavailable} (the chain moves on); a failing one rejects
 * with the end of its output so the reason is visible in the chain's log.
 */
export function runCommand(command: string, args: string[], options: RunCommandOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-4000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`\`${command} ${args.join(" ")}\` did not finish within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === "ENOENT" ? new DatabaseUnavailable(`\`${command}\` is not installed`) : err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
        return;
      }
      const tail = output.trim().split("\n").slice(-15).join("\n");
      reject(new Error(`\`${command} ${args.join(" ")}\` failed (${signal ?? `exit code ${code}`}): ${tail}`));
    });
  });
}
