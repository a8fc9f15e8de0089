import { Counter } from "prom-client";
import { metricsRegistry, registerCollector } from "./registry";

/** A lifecycle transition (SPEC §4). */
export type TransitionKind = "deactivate" | "reactivate" | "remove";

/**
 * How a transition asked for by a request or a leave date ended in the process that decided it:
 * `complete` with its cascade, committed but its cascade `taken_over` by another process or
 * `cascade_failed` (both left to the sweep), `refused` by a rule, or `conflict` (another write won the commit).
 */
export type TransitionOutcome = "complete" | "taken_over" | "cascade_failed" | "refused" | "conflict";

const transitions = new Counter({
  name: "roster_lifecycle_transitions_total",
  help: "Lifecycle transitions (deactivate, reactivate, remove) by how they ended in the process that decided them",
  labelNames: ["kind", "outcome"] as const,
  registers: [metricsRegistry],
});

/** Counts one transition's outcome. */
export function countTransition(kind: TransitionKind, outcome: TransitionOutcome): void {
  transitions.inc({ kind, outcome });
}

/**
 * What the sweep did with a cascade it took over (SPEC §4 Crash safety): `complete`d it, `aborted`
 * it (its commit never reached the user), lost it to another process (`taken_over`), or `failed` (retried later).
 */
export type ResumeOutcome = "complete" | "aborted" | "taken_over" | "failed";

const resumed = new Counter({
  name: "roster_cascades_resumed_total",
  help: "Cascades the background sweep took over from a process that died or stalled, by outcome",
  labelNames: ["outcome"] as const,
  registers: [metricsRegistry],
});

/** Counts one cascade the sweep took over. */
export function countResumedCascade(outcome: ResumeOutcome): void {
  resumed.inc({ outcome });
}

/**
 * `roster_cascades_pending{lease}`, read from the database at each scrape: transitions not yet
 * finished, whose lease a process `held` (running now) or that `expired` (waiting for the sweep).
 * Every process reports the same database-wide numbers.
 */
export function collectPendingCascades(count: () => Promise<{ held: number; expired: number }>): void {
  registerCollector("roster_cascades_pending", "Transitions whose cascade is not finished, by whether a process holds its lease (running) or it expired (waiting for the sweep)", ["lease"], async () => {
    const { held, expired } = await count();
    return [
      { labels: { lease: "held" }, value: held },
      { labels: { lease: "expired" }, value: expired },
    ];
  });
}
