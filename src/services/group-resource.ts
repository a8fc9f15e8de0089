import { GROUP_SCHEMAS } from "../domain/scim-attributes";
import type { ScimJson } from "../domain/types";
import type { GroupDoc } from "../store/documents";
import { fieldsToScim, scimToFields } from "./resource-fields";

export type GroupFields = Pick<GroupDoc, "displayName" | "displayNameKey" | "externalId" | "roster">;

/** Stored fields from a SCIM Group as scimmy parsed it (RFC 7643 §4.2, SPEC §3); members are kept apart (one document each). */
export function scimToGroupFields(instance: ScimJson): GroupFields {
  const fields = scimToFields(instance, GROUP_SCHEMAS);
  fields.displayName = String(instance.displayName);
  fields.displayNameKey = String(instance.displayName).toLowerCase();
  return fields as unknown as GroupFields;
}

/** The SCIM Group for a stored group (RFC 7643 §4.2); `memberIds` undefined leaves `members` out. */
export function groupDocToScim(doc: GroupDoc, memberIds?: string[]): ScimJson {
  const attributes = fieldsToScim(doc, GROUP_SCHEMAS);
  const schemas = [GROUP_SCHEMAS.core.id, ...GROUP_SCHEMAS.extensions.map((schema) => schema.id).filter((urn) => attributes[urn] !== undefined)];
  const out: ScimJson = {
    schemas,
    id: doc._id,
    meta: { resourceType: "Group", created: doc.created, lastModified: doc.lastModified, version: `W/"${doc.version}"` },
    ...attributes,
  };
  if (memberIds) out.members = memberIds.map((value) => ({ value, type: "User" }));
  return out;
}
