import { Histogram } from "prom-client";
import { metricsRegistry } from "./registry";

const commandDuration = new Histogram({
  name: "roster_db_command_duration_seconds",
  help: "Database commands as the driver saw them (command monitoring), by command name and outcome, and their latency",
  labelNames: ["command", "outcome"] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

type Observer = Pick<ReturnType<typeof commandDuration.labels>, "observe">;

/** More command names than any driver sends: past this, new names share one series (bounded cardinality). */
const MAX_COMMANDS = 64;
const observers = new Map<string, Observer>();

/** Counts one database command (the driver's commandSucceeded / commandFailed event) and its duration. */
export function observeDatabaseCommand(command: string, ok: boolean, milliseconds: number): void {
  const key = ok ? command : `${command}\u0000`;
  let observer = observers.get(key);
  if (!observer) {
    const name = observers.size < MAX_COMMANDS ? command : "other";
    observer = commandDuration.labels(name, ok ? "ok" : "error");
    observers.set(key, observer);
  }
  observer.observe(milliseconds / 1000);
}
