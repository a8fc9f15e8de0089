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
