import { USER_SCHEMAS } from "../domain/scim-attributes";
import { ENTERPRISE_USER, type ScimJson } from "../domain/types";
import type { UserDoc } from "../store/documents";
import { fieldsToScim, scimToFields } from "./resource-fields";

/** The stored fields a full write (POST, PUT, or a PATCH's after-image) may set. */
export type UserFields = Omit<UserDoc, "_id" | "tenant" | "version" | "created" | "lastModified" | "deletedAt" | "erasedAt" | "lastTransition" | "leaveDateRefusedFor" | "active"> & { active?: boolean };

/** Stored fields from a SCIM User as scimmy parsed it (RFC 7643 §4.1, §4.3; SPEC §3), derived from the attribute table. */
export function scimToUserFields(instance: ScimJson): UserFields {
  const fields = scimToFields(instance, USER_SCHEMAS);
  fields.userName = String(instance.userName);
  fields.userNameKey = String(instance.userName).toLowerCase();
  return fields as unknown as UserFields;
}

/**
 * The SCIM User for a stored user (RFC 7643 §4.1): `groups` is its read-only direct
 * memberships (left out when undefined), `managerDisplayName` fills the enterprise
 * `manager.displayName`.
 */
export function userDocToScim(doc: UserDoc, groups?: Array<{ value: string; display: string }>, managerDisplayName?: string): ScimJson {
  const attributes = fieldsToScim(doc, USER_SCHEMAS);
  const schemas = [USER_SCHEMAS.core.id, ...USER_SCHEMAS.extensions.map((schema) => schema.id).filter((urn) => attributes[urn] !== undefined)];
  const out: ScimJson = {
    schemas,
    id: doc._id,
    meta: { resourceType: "User", created: doc.created, lastModified: doc.lastModified, version: userVersionTag(doc.version) },
    ...attributes,
  };
  out.active = doc.active;
  if (groups) out.groups = groups.map((group) => ({ ...group, type: "direct" }));
  const manager = (attributes[ENTERPRISE_USER] as ScimJson | undefined)?.manager as ScimJson | undefined;
  if (manager && managerDisplayName) manager.displayName = managerDisplayName;
  return out;
}

/** meta.version and the ETag header (RFC 7644 §3.14). */
export function userVersionTag(version: number): string {
  return `W/"${version}"`;
}
