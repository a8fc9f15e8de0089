import { findProfileGaps } from "./find-profile-gaps";
import type { Policy, Refusal, ScimJson } from "./types";

/** SPEC §4 Deactivate 1 (and Reactivate): refuses when the after-image lacks any required profile path. */
export function checkProfileCompleteness(after: ScimJson, policy: Pick<Policy, "requiredProfileFields">): Refusal | null {
  const gaps = findProfileGaps(after, policy.requiredProfileFields ?? []);
  if (gaps.length === 0) return null;
  return {
    status: 400,
    scimType: "invalidValue",
    reason: "incompleteProfile",
    detail: `Profile is incomplete; required fields missing: ${gaps.join(", ")}`,
    missing: gaps,
  };
}
