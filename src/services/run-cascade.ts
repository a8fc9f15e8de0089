import { applyEffect } from "../store/apply-effect";
import { appendAudit } from "../store/audit-store";
import { finishTransition, markEffectDone, renewTransitionLease, type TransitionDoc } from "../store/transition-store";
import { getRuntime } from "./context";

/**
 * Runs a recorded transition to completion: its audit entry, then every step
 * not yet done. Safe to call again after a crash (SPEC §4 Crash safety).
 * The caller holds the transition's lease; it is renewed while the cascade
 * runs so that no other process takes over a cascade still in progress
 * (SPEC §10). Returns false when the lease was lost to another process,
 * which then finishes the cascade; throws when a step fails, leaving the
 * transition pending for the sweep (every step done so far stays recorded).
 */
export async function runCascade(transition: TransitionDoc): Promise<boolean> {
  const runtime = getRuntime();
  const { tenant, _id: id } = transition;
  let leaseUntil = new Date(transition.leaseUntil).getTime();
  const holdLease = async (): Promise<boolean> => {
    if (leaseUntil - runtime.now().getTime() > runtime.leaseMs / 2) return true;
    const renewed = await renewTransitionLease(tenant, id, runtime.processId, runtime.now(), runtime.leaseMs);
    if (!renewed) return false;
    leaseUntil = renewed.getTime();
    return true;
  };

  if (!(await holdLease())) return false;
  runtime.injectFault?.("main", id);
  await appendAudit({
    _id: `${id}:main`,
    tenant,
    at: transition.at,
    actor: transition.actor,
    action: transition.action,
    target: transition.userId,
    before: transition.before,
    after: transition.after,
    requestId: transition.requestId,
  });
  for (const [index, effect] of transition.effects.entries()) {
    if (transition.done.includes(index)) continue;
    if (!(await holdLease())) return false;
    runtime.injectFault?.(index, id);
    await applyEffect(transition, index, effect, runtime.now());
    if (runtime.crashAfterEffect === index) {
      // test-only: simulate a crash between a step and its bookkeeping
      process.exit(70);
    }
    await markEffectDone(tenant, id, index);
  }
  await finishTransition(tenant, id, "complete");
  return true;
}
