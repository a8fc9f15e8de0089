import { isEventAction } from "../domain/security-event";
import type { AuditDoc } from "./models";
import { AuditModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

export type { AuditDoc };

/** SCIM paths contain dots, which cannot be MongoDB keys: before/after are stored as path/value pairs. */
type StoredChange = Array<{ path: string; value: unknown }>;

export function encodeChange(change: Record<string, unknown> | undefined): StoredChange | undefined {
  return change === undefined ? undefined : Object.entries(change).map(([path, value]) => ({ path, value: value === undefined ? null : value }));
}

export function decodeChange(change: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(change)) return change as Record<string, unknown> | undefined;
  return Object.fromEntries((change as StoredChange).map(({ path, value }) => [path, value]));
}

export function decodeEntry(doc: AuditDoc): AuditDoc {
  const { eventsPending: _pending, ...rest } = doc as AuditDoc & { eventsPending?: boolean };
  const entry = { ...rest, before: decodeChange(doc.before), after: decodeChange(doc.after) };
  if (entry.before === undefined) delete entry.before;
  if (entry.after === undefined) delete entry.after;
  return entry;
}

function encodeEntry(entry: AuditDoc): Record<string, unknown> {
  const stored: Record<string, unknown> = { ...entry, before: encodeChange(entry.before), after: encodeChange(entry.after) };
  for (const key of ["actorName", "before", "after", "cause", "reason", "choices", "ignoredAttributes"]) if (stored[key] === undefined) delete stored[key];
  // the outbox of lifecycle events: written in the same insert as the entry, cleared once fanned out to subscriptions
  if (isEventAction(entry.action)) stored.eventsPending = true;
  return stored;
}

/** Appends an entry; a duplicate id means a resumed cascade already wrote it (idempotent). */
export async function appendAudit(entry: AuditDoc): Promise<void> {
  try {
    await AuditModel.collection.insertOne(encodeEntry(entry) as never);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** Entries per insert: far below MongoDB's 16 MB per command. */
const AUDIT_CHUNK = 1000;

/** {@link appendAudit} of many entries, one round trip per chunk; entries already there are left as they are. */
export async function appendAuditEntries(entries: AuditDoc[]): Promise<void> {
  for (let start = 0; start < entries.length; start += AUDIT_CHUNK) {
    const chunk = entries.slice(start, start + AUDIT_CHUNK).map(encodeEntry);
    try {
      await AuditModel.collection.insertMany(chunk as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (!isDuplicateKey(error) && !(errors.length && errors.every((inner) => (inner as { code?: number }).code === 11000))) throw error;
    }
  }
}

export interface AuditQuery {
  tenant: string;
  target?: string;
  action?: string;
  actor?: string;
  since?: Date;
  until?: Date;
  /** keyset position: entries strictly older than this (at, _id) */
  before?: { at: Date; id: string };
  limit: number;
}

/** Newest-first page of a tenant's audit log (SPEC §6 GET /audit). */
export async function queryAudit(query: AuditQuery): Promise<AuditDoc[]> {
  const filter: Record<string, unknown> = { tenant: query.tenant };
  if (query.target) filter.target = query.target;
  if (query.action) filter.action = query.action;
  if (query.actor) filter.actor = query.actor;
  const at: Record<string, Date> = {};
  if (query.since) at.$gte = query.since;
  if (query.until) at.$lte = query.until;
  if (Object.keys(at).length) filter.at = at;
  if (query.before) {
    filter.$or = [{ at: { $lt: query.before.at } }, { at: query.before.at, _id: { $lt: query.before.id } }];
  }
  return (await AuditModel.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit).lean<AuditDoc[]>().exec()).map(decodeEntry);
}

/** Entries about a user (as target or cause), for redaction on erase. */
export async function findAuditAbout(tenant: string, userId: string): Promise<AuditDoc[]> {
  return (await AuditModel.find({ tenant, $or: [{ target: userId }, { cause: userId }] }).lean<AuditDoc[]>().exec()).map(decodeEntry);
}

/** Rewrites only the value fields of an entry; action, time, actor and target stay (SPEC §4 Erase). */
export async function redactAuditEntry(tenant: string, id: string, values: Pick<AuditDoc, "before" | "after">): Promise<void> {
  const set: Record<string, unknown> = {};
  if (values.before !== undefined) set.before = encodeChange(values.before);
  if (values.after !== undefined) set.after = encodeChange(values.after);
  if (Object.keys(set).length) await AuditModel.updateOne({ tenant, _id: id }, { $set: set }).exec();
}

export async function countAudit(filter: { tenant: string; action?: string; target?: string }): Promise<number> {
  return AuditModel.countDocuments(filter).exec();
}
