/**
 * The SCIM schema and message URNs the tests send and expect (RFC 7643/7644 and the
 * Roster extensions). Written out here rather than taken from src/, so a wrong
 * constant in the code under test cannot make the tests agree with it.
 */
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ROSTER_USER = "urn:ietf:params:scim:schemas:extension:roster:2.0:User";
export const ROSTER_GROUP = "urn:ietf:params:scim:schemas:extension:roster:2.0:Group";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/** Attribute paths of the manager of a user (enterprise extension) and of a group (Roster extension). */
export const USER_MANAGER = `${ENTERPRISE}:manager`;
export const GROUP_MANAGER = `${ROSTER_GROUP}:manager`;
