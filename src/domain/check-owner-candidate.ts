import type { Refusal, UserFacts } from "./types";

/** SPEC §4 Deactivate 2: the tenant owner set with `PUT /owner` must be an existing, active, not removed user. */
export function checkOwnerCandidate(user: UserFacts | null): Refusal | null {
  if (user === null || user.removed) {
    return { status: 400, scimType: "invalidValue", reason: "ownerInactive", detail: "The owner must be an existing active user: no such user" };
  }
  if (!user.active) {
    return {
      status: 400,
      scimType: "invalidValue",
      reason: "ownerInactive",
      detail: `The owner must be an existing active user: user ${user.id} is deactivated`,
    };
  }
  return null;
}
