/** Which lifecycle transition a change of `active` is, if any. */
export type Transition = "deactivate" | "reactivate";

/** SPEC §4 Deactivate/Reactivate: `active` true→false deactivates, false→true reactivates, anything else is no transition. */
export function classifyTransition(before: { active: boolean }, after: { active: boolean }): Transition | null {
  if (before.active && !after.active) return "deactivate";
  if (!before.active && after.active) return "reactivate";
  return null;
}
