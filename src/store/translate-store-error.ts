import mongoose from "mongoose";
import { RosterError } from "../domain/roster-error";

const UNIQUE_FIELDS: Record<string, string> = {
  userNameKey: "userName",
  displayNameKey: "displayName",
};

/**
 * Maps a database failure to a RosterError so no driver message or stack trace
 * reaches a client, and so scimmy never turns it into a 404 (STYLE): a duplicate
 * key is 409 uniqueness, a cast error 400 invalidValue, a lost connection 503 with
 * Retry-After, anything else 500 (SPEC §3 Errors). `uniqueAttribute` names the attribute
 * when the server does not report the index (FerretDB does not).
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
  if (isConnectionLoss(error)) return RosterError.serviceUnavailable();
  return RosterError.internal();
}

const { mongo } = mongoose;

/**
 * The driver's errors for "no server to talk to": network errors (their subclasses
 * include timeouts and `PoolClearedError`), no server selectable, a client never or no
 * longer connected, a closed topology ("Topology is closed"); mongoose's own
 * server-selection error. They are mongoose's driver classes (`mongoose.mongo`), which
 * may be another copy of `mongodb` than a top-level one, so instanceof needs these.
 */
const CONNECTION_LOSS: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  mongo.MongoNetworkError,
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongoose.Error.MongooseServerSelectionError,
];

/** True when the database cannot be reached (STYLE: an outage is 503, never a 404 from scimmy or a 500); looks through `cause`. */
export function isConnectionLoss(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (CONNECTION_LOSS.some((type) => current instanceof type)) return true;
  }
  return false;
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
