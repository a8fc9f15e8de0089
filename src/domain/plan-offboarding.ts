import { handoverOf, pickSuccessor } from "./pick-successor";
import type { Effect, OffboardingInput, Plan, Refusal } from "./types";

/** Which offboarding a plan is for. */
export type Offboarding = "deactivation" | "removal";

/** Who takes over one report or one group led, and whether an administrator chose it. */
export interface Handover {
  id: string;
  /** the new manager or leader; null clears the link */
  to: string | null;
  /** named by the administrator (`successor` or `reassign`), rather than the policy's default */
  chosen: boolean;
}

/**
 * Everything an offboarding would do, and every rule that refuses it now. The
 * transition applies {@link effects} when {@link refusals} is empty and is refused
 * with the first otherwise; GET …/offboarding-plan shows the whole of it. One
 * function answers both, so a plan and its outcome cannot disagree.
 */
export interface OffboardingPlan {
  /** in the order they are checked: owner guard, bulk leader rule, `block` */
  refusals: Refusal[];
  /** the refusal a /Bulk operation would meet (a leader is offboarded one by one), whatever this request is */
  inBulk: Refusal | null;
  /** who takes over what no per-report or per-group choice names; null clears the links */
  successor: { id: string; source: "chosen" | "manager" | "owner" } | null;
  reports: Handover[];
  groups: Handover[];
  dropMemberships: boolean;
  revokeApiKeys: boolean;
  effects: Effect[];
}

/** SPEC §4 Deactivate 2–5: guards, then the cascade of a deactivation (the completeness check is decideTransition's). */
export function planDeactivation(input: OffboardingInput): Plan {
  return asPlan(planOffboarding(input, "deactivation"));
}

/** SPEC §4 Remove: the deactivation guards and cascade, plus memberships always dropped. */
export function planRemoval(input: OffboardingInput): Plan {
  return asPlan(planOffboarding(input, "removal"));
}

function asPlan(plan: OffboardingPlan): Plan {
  if (plan.refusals.length) return { ok: false, refusal: plan.refusals[0] };
  return { ok: true, effects: plan.effects, successorId: plan.successor?.id ?? null };
}

/**
 * SPEC §4 Deactivate 2–5 and Remove, with an administrator's choices (SPEC §11):
 * a chosen successor replaces the policy's pick, a per-report or per-group lead
 * wins over both, `revokeApiKeys` over the policy's. Under `block` an administrator
 * offboards a leader by naming who takes over everything; what stays unnamed is refused.
 */
export function planOffboarding(input: OffboardingInput, kind: Offboarding): OffboardingPlan {
  const { leaver, policy } = input;
  const choices = input.choices ?? {};
  const { reportIds, groupIds: groupIdsLed } = handoverOf(input);
  const successor = successorOf(input);
  const successorId = successor?.id ?? null;

  const reports: Handover[] = reportIds.map((id) => {
    const lead = choices.reports?.get(id);
    if (lead !== undefined) return { id, to: lead, chosen: true };
    // A successor who is one of the reports (the owner reporting to the leaver) must not manage themself.
    return { id, to: successorId === id ? null : successorId, chosen: choices.successor !== undefined };
  });
  const groups: Handover[] = groupIdsLed.map((id) => {
    const lead = choices.groups?.get(id);
    return lead !== undefined ? { id, to: lead, chosen: true } : { id, to: successorId, chosen: choices.successor !== undefined };
  });
  const revokeApiKeys = choices.revokeApiKeys ?? policy.revokeApiKeys !== false;
  const dropMemberships = kind === "removal" || policy.groupMembershipsOnDeactivate === "remove";

  // Access goes first: if the cascade is interrupted, the leaver is already locked out.
  const effects: Effect[] = [{ kind: "revokeSessions", userId: leaver.id }];
  if (revokeApiKeys) effects.push({ kind: "revokeApiKeys", userId: leaver.id });
  for (const report of reports) effects.push({ kind: "reassignReport", reportId: report.id, from: leaver.id, to: report.to });
  for (const group of groups) effects.push({ kind: "reassignGroupLeader", groupId: group.id, from: leaver.id, to: group.to });
  if (dropMemberships) effects.push({ kind: "dropMemberships", userId: leaver.id });

  const pending = {
    reports: reports.filter((report) => !report.chosen).map((report) => report.id),
    groups: groups.filter((group) => !group.chosen).map((group) => group.id),
  };
  const inBulk = refuseLeaderInBulk(input, kind, { reports: reportIds, groups: groupIdsLed });
  const refusals: Refusal[] = [];
  const ownerGuard = refuseOwner(input, kind);
  if (ownerGuard) refusals.push(ownerGuard);
  if (input.initiator.bulk && inBulk) refusals.push(inBulk);
  const blocked = policy.reassignReportsTo === "block" ? refuseBlocked(input, kind, pending) : null;
  if (blocked) refusals.push(blocked);
  return { refusals, inBulk, successor, reports, groups, dropMemberships, revokeApiKeys, effects };
}

/** The chosen successor, else the policy's (SPEC §4 Deactivate 3), with where it comes from. */
function successorOf(input: OffboardingInput): OffboardingPlan["successor"] {
  const chosen = input.choices?.successor;
  if (chosen !== undefined) return { id: chosen, source: "chosen" };
  const pick = pickSuccessor(input);
  if (pick.kind === "none") return null;
  return { id: pick.id, source: input.leaverManager?.id === pick.id ? "manager" : "owner" };
}

function refuseOwner(input: OffboardingInput, kind: Offboarding): Refusal | null {
  const { leaver, owner } = input;
  if (owner === null || owner.id !== leaver.id) return null;
  return {
    status: 400,
    scimType: "invalidValue",
    reason: "ownerGuard",
    detail: `User ${leaver.id} is the tenant owner and cannot be ${verbOf(kind)}: transfer ownership first`,
  };
}

/** SPEC §4 Bulk: a team leader is never offboarded inside /Bulk, whatever the policy and the choices. */
function refuseLeaderInBulk(input: OffboardingInput, kind: Offboarding, led: { reports: string[]; groups: string[] }): Refusal | null {
  const leads = describeLed(led.reports, led.groups);
  if (leads === null) return null;
  return {
    status: 409,
    reason: "leaderInBulk",
    detail: `User ${input.leaver.id} is a team leader (${leads}) and cannot be ${verbOf(kind)} inside a bulk request: offboard team leaders one by one`,
    pending: led,
  };
}

/** SPEC §4 Deactivate 3 `block`: every report and group led must have a chosen lead first. */
function refuseBlocked(input: OffboardingInput, kind: Offboarding, pending: { reports: string[]; groups: string[] }): Refusal | null {
  const leads = describeLed(pending.reports, pending.groups);
  if (leads === null) return null;
  return {
    status: 409,
    reason: "leaderBlocked",
    detail: `User ${input.leaver.id} is still a team leader (${leads}) and policy reassignReportsTo is block: reassign them before the user is ${verbOf(kind)}, or have an administrator name a successor or a lead for each`,
    pending,
  };
}

function verbOf(kind: Offboarding): string {
  return kind === "removal" ? "removed" : "deactivated";
}

function describeLed(reportIds: string[], groupIds: string[]): string | null {
  const parts: string[] = [];
  if (reportIds.length > 0) parts.push(`reports: ${reportIds.join(", ")}`);
  if (groupIds.length > 0) parts.push(`groups led: ${groupIds.join(", ")}`);
  return parts.length > 0 ? parts.join("; ") : null;
}
