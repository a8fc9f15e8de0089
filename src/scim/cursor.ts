import { RosterError } from "../domain/roster-error";

interface CursorPosition {
  /** sort field the cursor was issued for */
  f: string;
  o: 1 | -1;
  /** last value of the sort field on the previous page */
  v: unknown;
  /** last id on the previous page (tie-breaker) */
  id: string;
  /** the value was a Date */
  d?: boolean;
}

/** An opaque RFC 9865 cursor: the keyset position after the last resource of a page. */
export function encodeCursor(field: string, order: 1 | -1, value: unknown, id: string): string {
  const position: CursorPosition = { f: field, o: order, v: value instanceof Date ? value.toISOString() : value ?? null, id };
  if (value instanceof Date) position.d = true;
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Decodes a cursor; one issued for another sort order is refused (RFC 9865 §3 invalidCursor). */
export function decodeCursor(cursor: string, field: string, order: 1 | -1): { value: unknown; id: string } {
  let position: CursorPosition;
  try {
    position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorPosition;
  } catch {
    throw RosterError.badRequest("invalidCursor", "The cursor is not valid");
  }
  if (!position || typeof position.id !== "string" || position.f !== field || position.o !== order) {
    throw RosterError.badRequest("invalidCursor", "The cursor is not valid for this sortBy and sortOrder");
  }
  const value = position.d && typeof position.v === "string" ? new Date(position.v) : position.v;
  return { value, id: position.id };
}

/**
 * The condition selecting what sorts after a cursor position. MongoDB sorts a missing
 * or null sort value before every other value and compares only values of one type
 * (`$gt: null` matches nothing), so the null end of the order needs its own branch.
 */
export function afterPosition(field: string, order: 1 | -1, position: { value: unknown; id: string }): Record<string, unknown> {
  const after = order === 1 ? "$gt" : "$lt";
  if (field === "_id") return { _id: { [after]: position.id } };
  const sameValue = { [field]: position.value ?? null, _id: { [after]: position.id } };
  if (position.value === null || position.value === undefined) {
    // ascending: the other nulls, then every non-null value; descending: nulls come last
    return order === 1 ? { $or: [sameValue, { [field]: { $ne: null } }] } : sameValue;
  }
  const beyond = { [field]: { [after]: position.value } };
  return order === 1 ? { $or: [beyond, sameValue] } : { $or: [beyond, sameValue, { [field]: null }] };
}
