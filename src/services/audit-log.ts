import type { AuditEntryView } from "../domain/audit-entry-view";
import { RosterError } from "../domain/roster-error";
import { queryAudit, type AuditDoc } from "../store/audit-store";
import { parseInstant } from "./parse-instant";
import { loadTenantSettings } from "./tenant-policy";
import { validatePayload } from "./validate-payload";

export const DEFAULT_AUDIT_COUNT = 100;
export const MAX_AUDIT_COUNT = 1000;

export interface AuditPage {
  entries: AuditEntryView[];
  /** absent on the last page */
  nextCursor?: string;
}

interface AuditQueryParams {
  target?: string;
  action?: string;
  actor?: string;
  since?: string;
  until?: string;
  count?: number;
  cursor?: string;
}

/**
 * SPEC §6 GET /audit: newest first, filtered by target, action, actor and an
 * inclusive time range, paged by an opaque keyset cursor over (at, id), so
 * entries appended while an administrator pages never shift a page.
 */
export async function listAudit(tenant: string, query: unknown): Promise<AuditPage> {
  const params = validatePayload<AuditQueryParams>("auditQuery", query);
  await loadTenantSettings(tenant);
  const since = params.since === undefined ? undefined : parseInstant(params.since, "start")!;
  const until = params.until === undefined ? undefined : parseInstant(params.until, "end")!;
  const count = Math.min(params.count ?? DEFAULT_AUDIT_COUNT, MAX_AUDIT_COUNT);
  const before = params.cursor === undefined ? undefined : decodeCursor(params.cursor);
  // one extra entry says whether a next page exists, so the last page carries no cursor
  const docs = await queryAudit({ tenant, target: params.target, action: params.action, actor: params.actor, since, until, before, limit: count + 1 });
  const page = docs.slice(0, count);
  const last = page[page.length - 1];
  return { entries: page.map(viewEntry), ...(docs.length > count && last ? { nextCursor: encodeCursor(last) } : {}) };
}

export function viewEntry(doc: AuditDoc): AuditEntryView {
  const view: AuditEntryView = { id: doc._id, at: new Date(doc.at).toISOString(), tenant: doc.tenant, actor: doc.actor, ...(doc.actorName ? { actorName: doc.actorName } : {}), action: doc.action, target: doc.target, requestId: doc.requestId };
  if (doc.cause !== undefined && doc.cause !== null) view.cause = doc.cause;
  if (doc.before !== undefined && doc.before !== null) view.before = doc.before;
  if (doc.after !== undefined && doc.after !== null) view.after = doc.after;
  if (doc.reason !== undefined && doc.reason !== null) view.reason = doc.reason;
  if (doc.choices !== undefined && doc.choices !== null) view.choices = doc.choices;
  if (Array.isArray(doc.ignoredAttributes)) view.ignoredAttributes = doc.ignoredAttributes;
  return view;
}

function encodeCursor(doc: AuditDoc): string {
  return Buffer.from(JSON.stringify({ at: new Date(doc.at).getTime(), id: doc._id }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const { at, id } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { at: unknown; id: unknown };
    if (typeof at === "number" && Number.isFinite(at) && typeof id === "string" && id) return { at: new Date(at), id };
  } catch {
    // fall through
  }
  throw RosterError.invalidCursor("cursor is not a nextCursor this endpoint returned", { errors: [{ path: "/cursor", message: "is not a nextCursor this endpoint returned" }] });
}
