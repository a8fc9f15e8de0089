import { ENTERPRISE_USER, ROSTER_USER, type ScimJson } from "../domain/types";
import type { UserDoc } from "../store/documents";

/** Core User attributes stored as they are (RFC 7643 §4.1). */
const CORE_SIMPLE = ["userName", "externalId", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone"] as const;
const CORE_COMPLEX = ["name"] as const;
const CORE_MULTI = ["emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates"] as const;
const ENTERPRISE_SIMPLE = ["employeeNumber", "costCenter", "organization", "division", "department"] as const;

/** The stored fields a full write (POST, PUT, or a PATCH's after-image) may set. */
export type UserFields = Omit<UserDoc, "_id" | "tenant" | "version" | "created" | "lastModified" | "deletedAt" | "erasedAt" | "lastTransition" | "leaveDateRefusedFor" | "active"> & { active?: boolean };

/** Builds stored fields from a SCIM User as scimmy parsed it (direction "in"). */
export function scimToUserFields(instance: ScimJson): UserFields {
  const fields: Record<string, unknown> = {};
  for (const key of CORE_SIMPLE) if (isPresent(instance[key])) fields[key] = instance[key];
  for (const key of CORE_COMPLEX) if (isPresent(instance[key])) fields[key] = compact(instance[key] as ScimJson);
  for (const key of CORE_MULTI) {
    const list = instance[key];
    if (Array.isArray(list) && list.length) fields[key] = list.map((item) => compact(item as ScimJson));
  }
  fields.userName = String(instance.userName);
  fields.userNameKey = String(instance.userName).toLowerCase();
  if (typeof fields.displayName === "string") fields.displayNameKey = (fields.displayName as string).toLowerCase();
  // absent: the caller decides (true on create, unchanged on replace)
  if (instance.active !== undefined) fields.active = Boolean(instance.active);
  fields.emailKeys = ((fields.emails as ScimJson[] | undefined) ?? [])
    .map((email) => email.value)
    .filter((value): value is string => typeof value === "string" && value.length > 0)
    .map((value) => value.toLowerCase());

  const enterprise = instance[ENTERPRISE_USER] as ScimJson | undefined;
  if (enterprise) {
    const stored: Record<string, unknown> = {};
    for (const key of ENTERPRISE_SIMPLE) if (isPresent(enterprise[key])) stored[key] = enterprise[key];
    const manager = enterprise.manager as ScimJson | undefined;
    if (manager && typeof manager.value === "string" && manager.value) stored.manager = { value: manager.value };
    if (Object.keys(stored).length) fields.enterprise = stored;
  }
  const roster = instance[ROSTER_USER] as ScimJson | undefined;
  if (roster && roster.leaveDate) fields.roster = { leaveDate: new Date(roster.leaveDate as string) };
  return fields as unknown as UserFields;
}

/** The SCIM User (direction "out") for a stored user; `managerNames` fills manager.displayName. */
export function userDocToScim(doc: UserDoc, groups?: Array<{ value: string; display: string }>, managerDisplayName?: string): ScimJson {
  const out: ScimJson = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id: doc._id,
    meta: {
      resourceType: "User",
      created: doc.created,
      lastModified: doc.lastModified,
      version: userVersionTag(doc.version),
    },
  };
  for (const key of CORE_SIMPLE) if (doc[key] !== undefined) out[key] = doc[key];
  for (const key of CORE_COMPLEX) if (doc[key] !== undefined) out[key] = doc[key];
  out.active = doc.active;
  for (const key of CORE_MULTI) if (doc[key] !== undefined) out[key] = doc[key];
  if (groups) out.groups = groups.map((group) => ({ ...group, type: "direct" }));
  if (doc.enterprise) {
    const enterprise: ScimJson = { ...doc.enterprise };
    if (doc.enterprise.manager) {
      enterprise.manager = { value: doc.enterprise.manager.value, ...(managerDisplayName ? { displayName: managerDisplayName } : {}) };
    }
    out[ENTERPRISE_USER] = enterprise;
    (out.schemas as string[]).push(ENTERPRISE_USER);
  }
  if (doc.roster?.leaveDate) {
    out[ROSTER_USER] = { leaveDate: new Date(doc.roster.leaveDate).toISOString() };
    (out.schemas as string[]).push(ROSTER_USER);
  }
  return out;
}

/** meta.version and the ETag header (RFC 7644 §3.14). */
export function userVersionTag(version: number): string {
  return `W/"${version}"`;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function compact(value: ScimJson): ScimJson {
  const out: ScimJson = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined && inner !== null) out[key] = inner;
  return out;
}
