import type { OffboardingInput, UserFacts } from "./types";

/** Who takes over a leaver's reports and groups. */
export type SuccessorChoice = { kind: "successor"; id: string } | { kind: "none" };

/**
 * SPEC §4 Deactivate 3: the successor under `reassignReportsTo`. Under `block`
 * a leader is refused before a successor is looked for (planOffboarding), so a
 * user who leads nobody needs none.
 */
export function pickSuccessor(input: OffboardingInput): SuccessorChoice {
  const { leaver, policy, owner, leaverManager } = input;
  const eligible = (candidate: UserFacts | null): candidate is UserFacts =>
    candidate !== null && candidate.active && !candidate.removed && candidate.id !== leaver.id;

  switch (policy.reassignReportsTo) {
    case "block":
      return { kind: "none" };
    case "owner":
      return eligible(owner) ? { kind: "successor", id: owner.id } : { kind: "none" };
    case "manager-then-owner":
    default:
      // An unknown policy value falls back to the documented default rather than throwing mid-offboarding.
      if (eligible(leaverManager)) return { kind: "successor", id: leaverManager.id };
      if (eligible(owner)) return { kind: "successor", id: owner.id };
      return { kind: "none" };
  }
}

/** The leaver's direct reports and led groups, without duplicates and without the leaver itself. */
export function handoverOf(input: OffboardingInput): { reportIds: string[]; groupIds: string[] } {
  // A user recorded as their own manager is not a team leader; their own link is kept (SPEC §4 Deactivate 5).
  const reportIds = [...new Set(input.reportIds)].filter((id) => id !== input.leaver.id);
  const groupIds = [...new Set(input.groupIdsLed)];
  return { reportIds, groupIds };
}
