import type { Refusal } from "./types";

/** SPEC §4 Seats: a new user needs a free seat when the tenant has a `seatLimit` (null: unlimited). */
export function checkSeatAvailable(used: number, limit: number | null | undefined): Refusal | null {
  if (limit === null || limit === undefined) return null;
  if (used < limit) return null;
  return { status: 403, reason: "noSeat", detail: `No seat is left: seatLimit ${limit} reached` };
}
