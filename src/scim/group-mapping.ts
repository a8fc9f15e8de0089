import { ROSTER_GROUP, type ScimJson } from "../domain/types";
import type { GroupDoc } from "../store/documents";

export type GroupFields = Pick<GroupDoc, "displayName" | "displayNameKey" | "externalId" | "roster">;

/** Stored fields from a SCIM Group as scimmy parsed it; members are kept apart (one document each). */
export function scimToGroupFields(instance: ScimJson): GroupFields {
  const displayName = String(instance.displayName);
  const fields: GroupFields = { displayName, displayNameKey: displayName.toLowerCase() };
  if (typeof instance.externalId === "string" && instance.externalId) fields.externalId = instance.externalId;
  const manager = (instance[ROSTER_GROUP] as ScimJson | undefined)?.manager as ScimJson | undefined;
  if (manager && typeof manager.value === "string" && manager.value) fields.roster = { manager: { value: manager.value } };
  return fields;
}

/** The SCIM Group for a stored group; `memberIds` undefined leaves `members` out. */
export function groupDocToScim(doc: GroupDoc, memberIds?: string[]): ScimJson {
  const out: ScimJson = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    id: doc._id,
    meta: { resourceType: "Group", created: doc.created, lastModified: doc.lastModified, version: `W/"${doc.version}"` },
    displayName: doc.displayName,
  };
  if (doc.externalId) out.externalId = doc.externalId;
  if (memberIds) out.members = memberIds.map((value) => ({ value, type: "User" }));
  if (doc.roster?.manager) {
    out[ROSTER_GROUP] = { manager: { value: doc.roster.manager.value } };
    (out.schemas as string[]).push(ROSTER_GROUP);
  }
  return out;
}
