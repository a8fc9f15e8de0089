/** A leave date as stored (Date) or as sent in SCIM JSON (ISO 8601 string). */
export type LeaveDate = Date | string | null | undefined;

/** SPEC §4 Leave date: the user is due for deactivation once the leave date is reached. */
export function isLeaveDue(leaveDate: LeaveDate, now: Date): boolean {
  const at = toTime(leaveDate);
  return at !== null && at <= now.getTime();
}

/** SPEC §4 Leave date: reactivating a user clears a leave date that has already passed, so it cannot fire again. */
export function shouldClearLeaveDateOnReactivation(leaveDate: LeaveDate, now: Date): boolean {
  return isLeaveDue(leaveDate, now);
}

function toTime(leaveDate: LeaveDate): number | null {
  if (leaveDate === null || leaveDate === undefined || leaveDate === "") return null;
  const time = (leaveDate instanceof Date ? leaveDate : new Date(leaveDate)).getTime();
  return Number.isNaN(time) ? null : time;
}
