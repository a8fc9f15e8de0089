import { handoverOf, pickSuccessor } from "./pick-successor";
import type { Effect, OffboardingInput, Plan, Refusal } from "./types";

type Offboarding = "deactivation" | "removal";

/** SPEC §4 Deactivate 2–5: guards, then the cascade of a deactivation (the completeness check is decideTransition's). */
export function planDeactivation(input: OffboardingInput): Plan {
  return planOffboarding(input, "deactivation");
}

/** SPEC §4 Remove: the deactivation guards and cascade, plus memberships always dropped. */
export function planRemoval(input: OffboardingInput): Plan {
  return planOffboarding(input, "removal");
}

function planOffboarding(input: OffboardingInput, kind: Offboarding): Plan {
  const refusal = refuseOffboarding(input, kind);
  if (refusal) return { ok: false, refusal };

  const { leaver, policy } = input;
  const { reportIds, groupIds } = handoverOf(input);
  const choice = pickSuccessor(input);
  const successorId = choice.kind === "successor" ? choice.id : null;

  // Access goes first: if the cascade is interrupted, the leaver is already locked out.
  const effects: Effect[] = [{ kind: "revokeSessions", userId: leaver.id }];
  if (policy.revokeApiKeys !== false) effects.push({ kind: "revokeApiKeys", userId: leaver.id });
  for (const reportId of reportIds) {
    // A successor who is one of the reports (the owner reporting to the leaver) must not manage themself.
    const to = successorId === reportId ? null : successorId;
    effects.push({ kind: "reassignReport", reportId, from: leaver.id, to });
  }
  for (const groupId of groupIds) {
    effects.push({ kind: "reassignGroupLeader", groupId, from: leaver.id, to: successorId });
  }
  if (kind === "removal" || policy.groupMembershipsOnDeactivate === "remove") {
    effects.push({ kind: "dropMemberships", userId: leaver.id });
  }
  return { ok: true, effects, successorId };
}

/** Owner guard, then the bulk leader rule, then the `block` policy (SPEC §4 Deactivate 2–3, Bulk). */
function refuseOffboarding(input: OffboardingInput, kind: Offboarding): Refusal | null {
  const { leaver, owner, initiator } = input;
  const verb = kind === "removal" ? "removed" : "deactivated";

  if (owner !== null && owner.id === leaver.id) {
    return {
      status: 400,
      scimType: "invalidValue",
      reason: "ownerGuard",
      detail: `User ${leaver.id} is the tenant owner and cannot be ${verb}: transfer ownership first`,
    };
  }

  const { reportIds, groupIds } = handoverOf(input);
  const leads = describeLed(reportIds, groupIds);
  if (leads === null) return null;

  if (initiator.bulk) {
    return {
      status: 409,
      reason: "leaderInBulk",
      detail: `User ${leaver.id} is a team leader (${leads}) and cannot be ${verb} inside a bulk request: offboard team leaders one by one`,
    };
  }
  if (input.policy.reassignReportsTo === "block") {
    return {
      status: 409,
      reason: "leaderBlocked",
      detail: `User ${leaver.id} is still a team leader (${leads}) and policy reassignReportsTo is block: reassign them before the user is ${verb}`,
    };
  }
  return null;
}

function describeLed(reportIds: string[], groupIds: string[]): string | null {
  const parts: string[] = [];
  if (reportIds.length > 0) parts.push(`reports: ${reportIds.join(", ")}`);
  if (groupIds.length > 0) parts.push(`groups led: ${groupIds.join(", ")}`);
  return parts.length > 0 ? parts.join("; ") : null;
}
