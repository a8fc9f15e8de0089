import { RosterError } from "../domain/roster-error";
import type { AttributeType } from "./filter";
import { INPUT_LIMITS } from "./input-limits";

/** A sort value a cursor may carry: a primitive of the sort field's type, never a document (no operators). */
export type CursorValue = string | number | boolean | null | Date;

interface CursorPosition {
  /** sort field the cursor was issued for */
  f: string;
  o: 1 | -1;
  /** last value of the sort field on the previous page */
  v: string | number | boolean | null;
  /** last id on the previous page (tie-breaker) */
  id: string;
  /** the value was a Date */
  d?: true;
}

const POSITION_KEYS: ReadonlySet<string> = new Set(["f", "o", "v", "id", "d"]);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An opaque RFC 9865 cursor: the keyset position after the last resource of a page. */
export function encodeCursor(field: string, order: 1 | -1, value: CursorValue, id: string): string {
  const position: CursorPosition = { f: field, o: order, v: value instanceof Date ? value.toISOString() : value, id };
  if (value instanceof Date) position.d = true;
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/**
 * Decodes a cursor (RFC 9865 §3: `400 invalidCursor` for anything Roster did not issue for this
 * sortBy and sortOrder). A cursor is client input: its value reaches a MongoDB query, so it is
 * checked to be a primitive of the sort field's type, with no extra keys, before it is used.
 */
export function decodeCursor(cursor: string, field: string, order: 1 | -1, type: AttributeType = "string"): { value: CursorValue; id: string } {
  const position = parsePosition(cursor);
  if (position.f !== field || position.o !== order) throw invalidCursor("The cursor is not valid for this sortBy and sortOrder");
  return { value: positionValue(position, type), id: position.id };
}

function parsePosition(cursor: string): CursorPosition {
  if (cursor.length > INPUT_LIMITS.maxCursorLength || !BASE64URL.test(cursor)) throw invalidCursor("The cursor is not valid");
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor("The cursor is not valid");
  }
  if (typeof position !== "object" || position === null || Array.isArray(position)) throw invalidCursor("The cursor is not valid");
  const record = position as Record<string, unknown>;
  const valid = Object.keys(record).every((key) => POSITION_KEYS.has(key))
    && typeof record.f === "string"
    && (record.o === 1 || record.o === -1)
    && typeof record.id === "string" && record.id.length > 0 && record.id.length <= INPUT_LIMITS.maxCursorValueLength
    && (record.d === undefined || record.d === true)
    && "v" in record;
  if (!valid) throw invalidCursor("The cursor is not valid");
  return record as unknown as CursorPosition;
}

function positionValue(position: CursorPosition, type: AttributeType): CursorValue {
  const { v, d } = position;
  if (v === null) return null;
  if (d) {
    const date = typeof v === "string" && ISO_INSTANT.test(v) ? new Date(v) : undefined;
    if (type !== "dateTime" || !date || Number.isNaN(date.getTime())) throw invalidCursor("The cursor is not valid");
    return date;
  }
  switch (type) {
    case "string":
      if (typeof v === "string" && v.length <= INPUT_LIMITS.maxCursorValueLength) return v;
      break;
    case "boolean":
      if (typeof v === "boolean") return v;
      break;
    case "number":
      if (typeof v === "number" && Number.isFinite(v)) return v;
      break;
    case "dateTime":
      break;
    default: {
      const never: never = type;
      throw new TypeError(`unknown attribute type ${String(never)}`);
    }
  }
  throw invalidCursor("The cursor is not valid");
}

function invalidCursor(detail: string): RosterError {
  return RosterError.badRequest("invalidCursor", detail);
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
