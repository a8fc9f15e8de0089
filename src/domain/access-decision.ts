/** The message a deactivated user sees at login (seed 001). */
export const DEACTIVATED_MESSAGE = "Your account has been deactivated. If you believe this is in error please contact us";

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/** SPEC §4 Deactivate 4: only an active, not removed user may log in (callers answer 404 for removed users first). */
export function decideAccess(user: { active: boolean; removed: boolean }): AccessDecision {
  if (user.active && !user.removed) return { allowed: true };
  return { allowed: false, reason: DEACTIVATED_MESSAGE };
}
