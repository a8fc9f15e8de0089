/**
 * Plain data shared by the lifecycle rules (SPEC §4). Nothing here knows about
 * scimmy or MongoDB: the rules take these shapes in and return effects. A
 * refusal carries the HTTP status it is answered with (SPEC §4 names them), and
 * `roster-error.ts` beside it is the one protocol error type, with HTTP status
 * factories, shared by every layer.
 */

/** SCIM attribute URNs used by the rules. */
export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ROSTER_USER = "urn:ietf:params:scim:schemas:extension:roster:2.0:User";
export const ROSTER_GROUP = "urn:ietf:params:scim:schemas:extension:roster:2.0:Group";
export const USER_MANAGER_PATH = `${ENTERPRISE_USER}:manager`;
export const GROUP_MANAGER_PATH = `${ROSTER_GROUP}:manager`;

/** A SCIM resource as JSON: core attributes plus extension objects under their URN keys. */
export type ScimJson = Record<string, unknown>;

/** Tenant policy, SPEC §6 (schemas/policy.schema.json). */
export interface Policy {
  requiredProfileFields: string[];
  reassignReportsTo: "manager-then-owner" | "owner" | "block";
  groupMembershipsOnDeactivate: "keep" | "remove";
  revokeApiKeys: boolean;
  seatLimit: number | null;
  /** attribute names the schemas do not know, at any depth: ignored (and recorded) or refused `400` */
  unknownAttributes: "ignore" | "reject";
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  requiredProfileFields: [],
  reassignReportsTo: "manager-then-owner",
  groupMembershipsOnDeactivate: "keep",
  revokeApiKeys: true,
  seatLimit: null,
  unknownAttributes: "ignore",
});

/** What the rules need to know about one user. */
export interface UserFacts {
  id: string;
  active: boolean;
  removed: boolean;
  /** enterprise manager.value, if any */
  managerId: string | null;
}

/**
 * Who initiated a change. The actor's name decides nothing: only a leave date
 * (`leaveDate`, actor `system:leave-date`) skips the completeness check (SPEC §4 Leave date).
 */
export interface Initiator {
  actor: string;
  /** true inside a /Bulk request (SPEC §4 Bulk) */
  bulk: boolean;
  /** true when the leave date triggered the change */
  leaveDate: boolean;
}

/** Everything a deactivation or removal is decided on. */
export interface OffboardingInput {
  leaver: UserFacts;
  /** ids of active or deactivated users whose enterprise manager is the leaver (the leaver itself is ignored by the rules) */
  reportIds: string[];
  /** ids of groups whose Roster-extension manager is the leaver */
  groupIdsLed: string[];
  policy: Policy;
  /** tenant owner, null when unset or removed */
  owner: UserFacts | null;
  /** the leaver's own manager, null when unset or removed */
  leaverManager: UserFacts | null;
  initiator: Initiator;
  /** an administrator's choices (POST …/users/{id}/deactivate|remove); what they do not name follows the policy */
  choices?: OffboardingChoices;
}

/**
 * An administrator's hand-over choices (SPEC §11 administrator offboarding): one
 * successor for everything, a lead per report or per group led, and whether API keys
 * go. Ids are checked first by {@link checkOffboardingChoices}. Maps, because the ids
 * come from a client's body and never index a plain object.
 */
export interface OffboardingChoices {
  successor?: string;
  reports?: ReadonlyMap<string, string>;
  groups?: ReadonlyMap<string, string>;
  revokeApiKeys?: boolean;
}

/** What the store tells the rules about a leaver's surroundings (loaded only for an offboarding). */
export type OffboardingFacts = Pick<OffboardingInput, "reportIds" | "groupIdsLed" | "owner" | "leaverManager">;

/** One idempotent step of a cascade, applied by the store (SPEC §4 Crash safety). */
export type Effect =
  | { kind: "reassignReport"; reportId: string; from: string; to: string | null }
  | { kind: "reassignGroupLeader"; groupId: string; from: string; to: string | null }
  | { kind: "dropMemberships"; userId: string }
  | { kind: "revokeSessions"; userId: string }
  | { kind: "revokeApiKeys"; userId: string };

/** A refusal decided by a rule; the SCIM layer turns it into an error response. */
export interface Refusal {
  status: 400 | 403 | 409;
  scimType?: "invalidValue" | "uniqueness" | "mutability";
  detail: string;
  /** short machine-friendly reason, stored on `user.deactivate.refused` audit entries */
  reason: "incompleteProfile" | "ownerGuard" | "leaderBlocked" | "leaderInBulk" | "noSeat" | "ownerInactive";
  /** incompleteProfile: each missing path, spelled as the policy gives it */
  missing?: string[];
  /** leaderBlocked, leaderInBulk: the reports and groups led still to hand over */
  pending?: { reports: string[]; groups: string[] };
}

export type Plan = { ok: true; effects: Effect[]; successorId: string | null } | { ok: false; refusal: Refusal };

/** before/after of an audit entry: only changed fields, keyed by SCIM attribute path (SPEC §5). */
export interface AuditChange {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}
