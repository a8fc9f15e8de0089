import type { Refusal } from "./types";

/** SPEC §4 Seats: a new user needs a free seat when the tenant has a `seatLimit` (null: unlimited). */
export function checkSeatAvailable(used: number, limit: number | null | undefined): Refusal | null {
  if (limit === null || limit === undefined) return null;
  if (used < limit) return null;
  return { status: 403, reason: "noSeat", detail: `No seat is left: seatLimit ${limit} reached` };
}

/**
 * Issue #11 (seed 002): a person new to the organization needs one of its seats;
 * `used` counts that person already when the seat was taken before checking.
 */
export function checkOrganizationSeatAvailable(organization: string, used: number, limit: number | null): Refusal | null {
  if (limit === null || used <= limit) return null;
  return { status: 403, reason: "noSeat", detail: `No seat is left in organization ${organization}: seatLimit ${limit} reached` };
}

/**
 * The person a user is across an organization's tenants (issue #11): their userName,
 * case-insensitively (the lowercase shadow key); a removed user is nobody and holds no seat.
 */
export function seatPerson(user: { userNameKey: string; deletedAt?: Date | null }): string | null {
  return user.deletedAt ? null : user.userNameKey;
}
