import { DEFAULT_POLICY, type OffboardingInput, type Policy, type UserFacts } from "../../src/domain/types";

/** A user fact with sensible defaults for rule tests. */
export function userFacts(id: string, overrides: Partial<UserFacts> = {}): UserFacts {
  return { id, active: true, removed: false, managerId: null, ...overrides };
}

/** An offboarding input for leaver L, who reports to M, in a tenant owned by O. */
export function offboarding(
  overrides: Partial<Omit<OffboardingInput, "policy">> & { policy?: Partial<Policy> } = {},
): OffboardingInput {
  const { policy, ...rest } = overrides;
  return {
    leaver: userFacts("L", { managerId: "M" }),
    reportIds: ["R1", "R2"],
    groupIdsLed: ["G1"],
    owner: userFacts("O"),
    leaverManager: userFacts("M"),
    initiator: { actor: "token-1", bulk: false, leaveDate: false },
    ...rest,
    policy: { ...DEFAULT_POLICY, requiredProfileFields: [], ...policy },
  };
}
