/** Schema and message URNs the suites send and read (RFC 7643 §8.7, RFC 7644 §3.5.2, SPEC §3). */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ROSTER_GROUP = "urn:ietf:params:scim:schemas:extension:roster:2.0:Group";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The enterprise manager id of a SCIM user, if any. */
export function managerOf(user: Record<string, any> | undefined): string | undefined {
  const value = user?.[ENTERPRISE_USER]?.manager?.value;
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/** The Roster-extension leader id of a SCIM group, if any. */
export function groupLeaderOf(group: Record<string, any> | undefined): string | undefined {
  const value = group?.[ROSTER_GROUP]?.manager?.value;
  return value === undefined || value === null || value === "" ? undefined : String(value);
}
