/** The longest wait between two pushes of one SET, however many attempts failed. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * After a failed push (RFC 8935 §2.4: anything but 202), whether to try again and when:
 * exponential backoff from `baseMs` (base, 2×base, 4×base…, at most an hour),
 * and a dead letter once `attempts` (this one included) reaches `maxAttempts`.
 */
export function afterFailedPush(attempts: number, maxAttempts: number, baseMs: number): { dead: true } | { dead: false; delayMs: number } {
  if (attempts >= maxAttempts) return { dead: true };
  return { dead: false, delayMs: Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1)) };
}
