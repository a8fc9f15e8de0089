/**
 * Lifecycle events as Security Event Tokens (RFC 8417) in the SCIM profile (RFC 9967):
 * which audit entries are events, which event URIs each carries, and the SET claims
 * built from one entry. Pure: the entry (as stored, so redacted after an erase) in,
 * claims out. The delivery adds `aud` and signs.
 */
import { LEAVE_DATE_ACTOR } from "./decide-transition";
import { GROUP_MANAGER_PATH } from "./types";

const SCIM_EVENT = "urn:ietf:params:scim:event";
const ROSTER_EVENT = "urn:roster:params:event";

/** RFC 9967 event URIs Roster emits, and Roster's own where RFC 9967 is silent. */
export const EVENT_URIS = {
  create: `${SCIM_EVENT}:prov:create:full`,
  patch: `${SCIM_EVENT}:prov:patch:full`,
  delete: `${SCIM_EVENT}:prov:delete`,
  activate: `${SCIM_EVENT}:prov:activate`,
  deactivate: `${SCIM_EVENT}:prov:deactivate`,
  reassign: `${ROSTER_EVENT}:reassign`,
  erase: `${ROSTER_EVENT}:erase`,
  leaveDatePassed: `${ROSTER_EVENT}:leaveDatePassed`,
} as const;

export const ALL_EVENT_URIS: readonly string[] = Object.values(EVENT_URIS);

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The part of an audit entry a SET is built from. */
export interface EventSource {
  _id: string;
  tenant: string;
  at: Date;
  actor: string;
  action: string;
  target: string;
  cause?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  requestId: string;
}

/** The leaver's manager when a leave date passed, looked up at delivery (see README). */
export interface LeaverManager {
  value: string;
  displayName?: string;
}

/** The audit actions that are lifecycle events; every other entry (tokens, policy, refusals) is none. */
const EVENT_ACTIONS = new Set(["user.create", "user.update", "user.deactivate", "user.reactivate", "user.remove", "user.erase", "reports.reassign", "group.create", "group.update", "group.delete"]);

/** Whether an audit entry of this action becomes a SET (decided when the entry is written). */
export function isEventAction(action: string): boolean {
  return EVENT_ACTIONS.has(action);
}

/** The event URIs a SET of this entry carries, in the order they appear in its `events` claim. */
export function eventUrisOf(entry: Pick<EventSource, "action" | "actor">): string[] {
  switch (entry.action) {
    case "user.create":
    case "group.create":
      return [EVENT_URIS.create];
    case "user.update":
    case "group.update":
      return [EVENT_URIS.patch];
    case "user.deactivate":
      return entry.actor === LEAVE_DATE_ACTOR ? [EVENT_URIS.deactivate, EVENT_URIS.leaveDatePassed] : [EVENT_URIS.deactivate];
    case "user.reactivate":
      return [EVENT_URIS.activate];
    case "user.remove":
    case "group.delete":
      return [EVENT_URIS.delete];
    case "user.erase":
      return [EVENT_URIS.erase];
    case "reports.reassign":
      return [EVENT_URIS.patch, EVENT_URIS.reassign];
    default:
      return [];
  }
}

/** Whether a subscription that asked for `wanted` (undefined: all) gets a SET carrying `uris`. */
export function subscriptionWants(wanted: readonly string[] | undefined | null, uris: readonly string[]): boolean {
  return uris.length > 0 && (!wanted || wanted.length === 0 || uris.some((uri) => wanted.includes(uri)));
}

/** The SET claims of an entry (RFC 8417 §2.2, RFC 9967 §2), without `aud`; null when the entry is no event. */
export function securityEventClaims(entry: EventSource, manager: LeaverManager | null = null): Record<string, unknown> | null {
  const uris = eventUrisOf(entry);
  if (!uris.length) return null;
  const seconds = Math.floor(new Date(entry.at).getTime() / 1000);
  const resourceType = entry.action.startsWith("group.") || isGroupReassignment(entry) ? "Groups" : "Users";
  const events: Record<string, unknown> = {};
  for (const uri of uris) events[uri] = eventPayload(uri, entry, manager);
  return {
    iss: issuerOf(entry.tenant),
    jti: entry._id,
    iat: seconds,
    toe: seconds,
    // RFC 8417 txn: the entries one request caused (a deactivation and its hand-over) share it
    txn: entry.requestId,
    sub_id: { format: "scim", uri: `/${resourceType}/${entry.target}` },
    events,
  };
}

/** The `iss` of a tenant's SETs: the background delivery knows no public URL, so a URN names the tenant. */
export function issuerOf(tenant: string): string {
  return `urn:roster:tenant:${tenant}`;
}

function eventPayload(uri: string, entry: EventSource, manager: LeaverManager | null): Record<string, unknown> {
  const after = entry.after ?? {};
  const before = entry.before ?? {};
  switch (uri) {
    case EVENT_URIS.create:
      return { data: resourceFromPaths(entry.target, after) };
    case EVENT_URIS.patch:
      return { data: patchFromChange(before, after) };
    case EVENT_URIS.reassign: {
      const path = Object.keys(before)[0] ?? Object.keys(after)[0];
      return { leaver: entry.cause ?? null, from: managerValue(before[path]), to: managerValue(after[path]), attribute: path ?? null };
    }
    case EVENT_URIS.leaveDatePassed:
      return { manager };
    default:
      // delete, activate, deactivate, erase: the event and its subject say it all
      return {};
  }
}

function isGroupReassignment(entry: EventSource): boolean {
  return entry.action === "reports.reassign" && Object.keys(entry.before ?? {}).includes(GROUP_MANAGER_PATH);
}

function managerValue(value: unknown): string | null {
  return value && typeof value === "object" && typeof (value as { value?: unknown }).value === "string" ? (value as { value: string }).value : null;
}

/** A PATCH request (RFC 7644 §3.5.2) that turns the before-image into the after-image: replace set paths, remove cleared ones. */
export function patchFromChange(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const operations: Array<Record<string, unknown>> = [];
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const value = after[path];
    operations.push(value === null || value === undefined ? { op: "remove", path } : { op: "replace", path, value });
  }
  return { schemas: [PATCH_OP], Operations: operations };
}

/** A resource from audit paths (`name.givenName`, `urn:…:User:department`): extension attributes under their URN. */
export function resourceFromPaths(id: string, paths: Record<string, unknown>): Record<string, unknown> {
  const resource: Record<string, unknown> = { id };
  for (const [path, value] of Object.entries(paths)) {
    if (value === null || value === undefined) continue;
    const urnEnd = path.startsWith("urn:") ? path.lastIndexOf(":") : -1;
    const container = urnEnd > 0 ? childObject(resource, path.slice(0, urnEnd)) : resource;
    const [name, sub] = (urnEnd > 0 ? path.slice(urnEnd + 1) : path).split(".");
    if (sub === undefined) container[name] = value;
    else childObject(container, name)[sub] = value;
  }
  return resource;
}

function childObject(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = parent[key];
  if (existing && typeof existing === "object" && !Array.isArray(existing)) return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}
