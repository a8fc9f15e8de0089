import { auditActor } from "../domain/audit-actor";
import type { Effect } from "../domain/types";
import { applySteps, type Step, type StoreStep } from "../store/apply-effect";
import { appendAuditEntries, type AuditDoc } from "../store/audit-store";
import { markEffectsDone, renewTransitionLease, type TransitionDoc } from "../store/transition-store";
import { getRuntime } from "./context";
import { dropUserMemberships } from "./group-service";
import { releaseRemovedUserSeat } from "./organization-seats";

/** The phases of a cascade, in the order the plan lists its steps: access first, then hand-over, then memberships. */
const PHASE: Record<Effect["kind"], number> = { revokeSessions: 0, revokeApiKeys: 0, reassignReport: 1, reassignGroupLeader: 1, dropMemberships: 2 };

/**
 * Runs a recorded transition to completion: every step not yet done, then its
 * audit entries, then its completion. Safe to call again after a crash (SPEC §4 Crash
 * safety): every step is idempotent and every entry has a derived id.
 * Steps run in phases (consecutive steps of one phase at once, in bulk writes), so a
 * leader's cascade costs the same round trips whatever the number of reports: one
 * update per collection it changes, one audit insert and one write completing the
 * transition (a plain deactivation: three).
 * The caller holds the transition's lease; it is renewed while the cascade
 * runs so that no other process takes over a cascade still in progress
 * (SPEC §10). Returns false when the lease was lost to another process,
 * which then finishes the cascade; throws when a step fails, leaving the
 * transition pending for the sweep (every phase done so far stays recorded).
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
  const entries: AuditDoc[] = [
    {
      _id: `${id}:main`,
      tenant,
      at: transition.at,
      ...auditActor(transition),
      action: transition.action,
      target: transition.userId,
      before: transition.before,
      after: transition.after,
      ...(transition.reason !== undefined ? { reason: transition.reason } : {}),
      ...(transition.choices !== undefined ? { choices: transition.choices } : {}),
      requestId: transition.requestId,
    },
  ];
  const phases = phasesOf(transition);
  for (const steps of phases) {
    if (!(await holdLease())) return false;
    for (const { index } of steps) runtime.injectFault?.(index, id);
    entries.push(...(await applyPhase(transition, steps)));
    if (runtime.crashAfterEffect !== undefined && steps.some((step) => step.index === runtime.crashAfterEffect)) {
      // test-only: simulate a crash between a step and its bookkeeping
      process.exit(70);
    }
  }
  if (!(await holdLease())) return false;
  if (transition.action === "user.remove") await releaseRemovedUserSeat(tenant, transition.userId);
  // the transition's entry and the hand-over's in one insert (their ids make a second one a no-op),
  // then every step recorded as done and the transition complete in one write
  await appendAuditEntries(entries);
  await markEffectsDone(tenant, id, phases.flat().map((step) => step.index), true);
  return true;
}

/** The steps not yet done, grouped into runs of consecutive steps of one phase. */
function phasesOf(transition: TransitionDoc): Step[][] {
  const phases: Step[][] = [];
  let previous: number | undefined;
  for (const [index, effect] of transition.effects.entries()) {
    if (transition.done.includes(index)) continue;
    const phase = PHASE[effect.kind];
    if (phase !== previous || !phases.length) phases.push([]);
    phases[phases.length - 1].push({ index, effect });
    previous = phase;
  }
  return phases;
}

async function applyPhase(transition: TransitionDoc, steps: Step[]): Promise<AuditDoc[]> {
  const ctx = { tenant: transition.tenant, ...auditActor(transition), requestId: transition.requestId, bulk: false };
  const storeSteps: StoreStep[] = [];
  for (const step of steps) {
    if (step.effect.kind !== "dropMemberships") {
      storeSteps.push(step as StoreStep);
      continue;
    }
    // through the group write protocol: each group left is claimed, bumped and audited
    if (!(await dropUserMemberships(ctx, step.effect.userId, `${transition._id}:${step.index}`))) {
      throw new Error(`groups of ${step.effect.userId} stayed claimed by other writers; the sweep retries`);
    }
  }
  return applySteps(transition, storeSteps, getRuntime().now());
}
