import { RosterError } from "../domain/roster-error";

const UNIQUE_FIELDS: Record<string, string> = {
  userNameKey: "userName",
  displayNameKey: "displayName",
};

/**
 * Maps a database failure to a RosterError so no driver message or stack trace
 * reaches a client, and so scimmy never turns it into a 404 (STYLE).
 * `uniqueAttribute` names the attribute when the server does not report the
 * index (FerretDB does not).
 */
export function translateStoreError(error: unknown, uniqueAttribute?: string): RosterError {
  if (error instanceof RosterError) return error;
  const e = error as { code?: number; name?: string; keyPattern?: Record<string, unknown> };
  if (isDuplicateKey(error)) {
    const field = Object.keys(e.keyPattern ?? {}).find((key) => UNIQUE_FIELDS[key]);
    const attribute = field ? UNIQUE_FIELDS[field] : uniqueAttribute;
    return RosterError.uniqueness(attribute ? `${attribute} is already in use` : "A resource with the same unique value already exists");
  }
  if (e && e.name === "CastError") return RosterError.invalidValue("A value has the wrong type");
  return RosterError.internal();
}

/**
 * True for duplicate-key errors, which some idempotent writes expect and ignore.
 * FerretDB (SQLite) reports a unique-index clash on update/replace as InternalError
 * (code 1) naming the SQLite constraint instead of E11000 (SPEC §8 stand-in).
 */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; message?: unknown } | null | undefined;
  if (e?.code === 11000) return true;
  return e?.code === 1 && typeof e.message === "string" && e.message.includes("UNIQUE constraint failed");
}
