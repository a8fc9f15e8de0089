import type { OffboardingInput, UserFacts } from "./types";

/** Who takes over a leaver's reports and groups. */
export type SuccessorChoice = { kind: "successor"; id: string } | { kind: "none" } | { kind: "block" };

/**
 * SPEC §4 Deactivate 3: the successor under `reassignReportsTo`. `block` is
 * returned only when the leaver leads someone or something; a leader with
 * nobody to hand over needs no successor.
 */
export function pickSuccessor(input: OffboardingInput): SuccessorChoice {
  const { leaver, policy, owner, leaverManager } = input;
  const eligible = (candidate: UserFacts | null): candidate is UserFacts =>
    candidate !== null && candidate.active && !candidate.removed && candidate.id !== leaver.id;

  switch (policy.reassignReportsTo) {
    case "block":
      return leadsAnything(input) ? { kind: "block" } : { kind: "none" };
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

/** SPEC §4 Deactivate 3: a team leader has direct reports or leads groups. */
export function leadsAnything(input: OffboardingInput): boolean {
  const { reportIds, groupIds } = handoverOf(input);
  return reportIds.length > 0 || groupIds.length > 0;
}
