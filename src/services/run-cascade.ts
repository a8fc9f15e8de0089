import { applyEffect } from "../store/apply-effect";
import { appendAudit } from "../store/audit-store";
import { finishTransition, markEffectDone, type TransitionDoc } from "../store/transition-store";
import { getRuntime } from "./context";

/**
 * Runs a recorded transition to completion: its audit entry, then every step
 * not yet done. Safe to call again after a crash (SPEC §4 Crash safety).
 */
export async function runCascade(transition: TransitionDoc): Promise<void> {
  const runtime = getRuntime();
  await appendAudit({
    _id: `${transition._id}:main`,
    tenant: transition.tenant,
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
    await applyEffect(transition, index, effect, runtime.now());
    if (runtime.crashAfterEffect === index) {
      // test-only: simulate a crash between a step and its bookkeeping
      process.exit(70);
    }
    await markEffectDone(transition.tenant, transition._id, index);
  }
  await finishTransition(transition.tenant, transition._id, "complete");
}
