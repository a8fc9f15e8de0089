import { checkProfileCompleteness } from "./check-profile-completeness";
import { classifyTransition } from "./classify-transition";
import { isLeaveDue, shouldClearLeaveDateOnReactivation, type LeaveDate } from "./leave-date";
import { planDeactivation, planOffboarding, type Offboarding, type OffboardingPlan } from "./plan-offboarding";
import type { Effect, Initiator, OffboardingChoices, OffboardingFacts, Policy, Refusal, ScimJson, UserFacts } from "./types";

/** The actor of everything a leave date does by itself (SPEC §4 Leave date). */
export const LEAVE_DATE_ACTOR = "system:leave-date";

/** What one request or job asks of one user. */
export interface TransitionRequest {
  /** `update`: a PUT, a PATCH's after-image or the leave-date job (after-image = current); `remove`: a DELETE */
  kind: "update" | "remove";
  current: UserFacts & { leaveDateRefusedFor?: LeaveDate };
  /** the user as it would be after the request, as SCIM JSON (for the completeness check) */
  after: ScimJson;
  /** `active` and the leave date of the after-image */
  afterActive: boolean;
  afterLeaveDate: LeaveDate;
  policy: Policy;
  /** who sent the request; `leaveDate` is set by the leave-date job */
  initiator: Initiator;
  now: Date;
  /** reports, groups led, owner, the leaver's manager: required when {@link offboardingKind} says so */
  facts: OffboardingFacts | null;
  /** an administrator's hand-over choices (POST …/users/{id}/deactivate|remove) */
  choices?: OffboardingChoices;
}

/** How the user's own document changes besides the after-image. */
export interface UserChanges {
  active: boolean;
  /** reactivation clears a leave date that has passed (SPEC §4 Leave date) */
  clearLeaveDate: boolean;
  /** a refused leave-date deactivation: the leave date it is recorded for, and whether to audit it (once per value) */
  leaveDateRefusal: { leaveDate: Date; reason: Refusal["reason"]; audit: boolean } | null;
}

export type TransitionDecision =
  | { outcome: "refused"; kind: "deactivate" | "reactivate" | "remove"; refusal: Refusal }
  | { outcome: "update"; changes: UserChanges }
  | {
      outcome: "transition";
      kind: "deactivate" | "reactivate" | "remove";
      /** the request's actor, or `system:leave-date` when the leave date is the authority */
      actor: string;
      effects: Effect[];
      successorId: string | null;
      changes: UserChanges;
    };

/**
 * Whether the request offboards the user (deactivation, removal or a due leave
 * date), so the caller must load {@link OffboardingFacts} first. Part of
 * {@link decideTransition}, exported so that facts are read only when needed.
 */
export function offboardingKind(request: Omit<TransitionRequest, "facts">): "deactivation" | "removal" | null {
  if (request.kind === "remove") return "removal";
  const kind = classifyTransition(request.current, { active: request.afterActive });
  if (kind === "deactivate") return "deactivation";
  if (kind === null && request.afterActive && isLeaveDue(request.afterLeaveDate, request.now)) return "deactivation";
  return null;
}

/**
 * SPEC §4, every rule of a transition in one place: the completeness check
 * (deactivate and reactivate, not remove, not a leave date), the leave date
 * deactivating at once by its own authority, the owner guard, the bulk leader
 * rule, the `block` policy, the successor and the cascade, the refused leave
 * date that leaves the user active and is audited once per value, and the
 * passed leave date cleared on reactivation.
 */
export function decideTransition(request: TransitionRequest): TransitionDecision {
  const { current, policy, now } = request;
  const stay: UserChanges = { active: request.afterActive, clearLeaveDate: false, leaveDateRefusal: null };

  if (request.kind === "remove") {
    const plan = previewOffboarding(request, "removal");
    if (plan.refusals.length) return { outcome: "refused", kind: "remove", refusal: plan.refusals[0] };
    return { outcome: "transition", kind: "remove", actor: request.initiator.actor, effects: plan.effects, successorId: plan.successor?.id ?? null, changes: { ...stay, active: false } };
  }

  const kind = classifyTransition(current, { active: request.afterActive });
  if (kind === "reactivate") {
    const incomplete = checkProfileCompleteness(request.after, policy);
    if (incomplete) return { outcome: "refused", kind, refusal: incomplete };
    const clearLeaveDate = shouldClearLeaveDateOnReactivation(request.afterLeaveDate, now);
    return { outcome: "transition", kind, actor: request.initiator.actor, effects: [], successorId: null, changes: { ...stay, clearLeaveDate } };
  }

  if (kind === "deactivate") {
    const plan = previewOffboarding(request, "deactivation");
    if (plan.refusals.length) return { outcome: "refused", kind, refusal: plan.refusals[0] };
    return { outcome: "transition", kind, actor: request.initiator.actor, effects: plan.effects, successorId: plan.successor?.id ?? null, changes: stay };
  }

  if (!request.afterActive || !isLeaveDue(request.afterLeaveDate, now)) return { outcome: "update", changes: stay };

  // A due leave date deactivates by its own authority: no completeness check (SPEC §4 Leave date).
  const initiator: Initiator = { actor: LEAVE_DATE_ACTOR, bulk: request.initiator.bulk, leaveDate: true };
  const plan = planDeactivation(offboardingInput(request, initiator));
  if (plan.ok) {
    return { outcome: "transition", kind: "deactivate", actor: LEAVE_DATE_ACTOR, effects: plan.effects, successorId: plan.successorId, changes: { ...stay, active: false } };
  }
  // Refused: the rest of the update still applies and the user stays active.
  const leaveDate = new Date(request.afterLeaveDate as Date | string);
  const refusedFor = current.leaveDateRefusedFor ? new Date(current.leaveDateRefusedFor).getTime() : null;
  return { outcome: "update", changes: { ...stay, leaveDateRefusal: { leaveDate, reason: plan.refusal.reason, audit: refusedFor !== leaveDate.getTime() } } };
}

/**
 * What a deactivation or removal request would do, and every refusal it meets in the
 * order {@link decideTransition} checks them (it refuses with the first): the
 * completeness check (deactivation only; the leave date skips it), then
 * {@link planOffboarding}'s guards. GET …/offboarding-plan answers from this very function.
 */
export function previewOffboarding(request: TransitionRequest, kind: Offboarding): OffboardingPlan {
  const plan = planOffboarding(offboardingInput(request, request.initiator), kind);
  // the leave-date job never sends active:false itself; a request does, and its profile must be complete
  const incomplete = kind === "deactivation" ? checkProfileCompleteness(request.after, request.policy) : null;
  return incomplete ? { ...plan, refusals: [incomplete, ...plan.refusals] } : plan;
}

function offboardingInput(request: TransitionRequest, initiator: Initiator) {
  if (!request.facts) throw new Error("decideTransition: an offboarding needs its facts loaded (see offboardingKind)");
  const { current } = request;
  const leaver: UserFacts = { id: current.id, active: current.active, removed: current.removed, managerId: current.managerId };
  return { leaver, policy: request.policy, initiator, ...request.facts, ...(request.choices ? { choices: request.choices } : {}) };
}
