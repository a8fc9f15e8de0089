import type { JsonSchema } from "../../scim/resource-json-schema";
import { json, noContent, pathParameter, queryParameter, ref, type Operation, type PathItem, type Responses } from "./operations";

const JSON_TYPES = ["application/json"];
const adminError = (description: string) => json(description, ref("AdminError"), JSON_TYPES);
const COMMON_ERRORS: Responses = {
  "401": adminError("No valid admin bearer token, or the admin API is disabled (ROSTER_ADMIN_TOKEN unset)"),
  "403": adminError("The administrator's role does not allow this; the detail names the role needed (src/http/admin/route-roles.ts)"),
  "429": adminError("Rate limited: retry after the Retry-After header's seconds"),
  default: adminError("Any other error, `{status, detail, errors}` (SPEC §6)"),
};
const tenant = pathParameter("tenant", "The tenant's id");
const user = pathParameter("id", "The user's id");
const subscription = pathParameter("id", "The event subscription's id");
const NOT_FOUND = { "404": adminError("No such tenant (or user, or token), or a tenant outside the administrator's scope") };
const organization = pathParameter("id", "The organization's id");
const ORG_NOT_FOUND = { "404": adminError("No such organization") };
const INVALID = { "400": adminError("The payload breaks its schema; `errors` names each path") };
const REFUSED = { "409": adminError("A team leader to hand over under policy block (`reassign` or `successor` what the detail lists), or the user kept changing") };
const OFFBOARDING_ACTION = { ...(queryParameter("action", "The offboarding to plan", { enum: ["deactivate", "remove"] }) as object), required: true };

function operation(tag: string, summary: string, operationId: string, responses: Responses, more: Partial<Operation> = {}): Operation {
  return { summary, operationId, tags: [`Admin ${tag}`], ...more, responses: { ...responses, ...COMMON_ERRORS } };
}

function body(schema: JsonSchema, required = true): unknown {
  return { required, content: { "application/json": { schema } } };
}

const ok = (description: string, schema: JsonSchema = { type: "object" }) => ({ "200": json(description, schema, JSON_TYPES) });
const created = (description: string, schema: JsonSchema = { type: "object" }) => ({ "201": json(description, schema, JSON_TYPES) });
const listOf = (key: string) => ({ type: "object", required: [key], properties: { [key]: { type: "array", items: { type: "object" } } } });

/**
 * The paths under /admin/v1 (SPEC §6), as src/http/admin/*.ts serve them. Every
 * /tenants/{tenant}/… path answers 404 for an unknown tenant, and for one outside the
 * administrator's scope; the role each needs is in src/http/admin/route-roles.ts.
 */
export function adminPaths(): Record<string, PathItem> {
  const inTenant = (parameters: unknown[] = []) => ({ parameters: [tenant, ...parameters] });
  const administrator = pathParameter("id", "The administrator's id");
  return {
    "/me": {
      get: operation("administrators", "The administrator this token authenticates: id, name, role, tenants (root for ROSTER_ADMIN_TOKEN)", "readMe", ok("The administrator", ref("Me"))),
    },
    "/administrators": {
      post: operation("administrators", "Create a named administrator (its token shown once); owners of every tenant only", "createAdministrator", { ...created("The administrator with its token", ref("Administrator")), ...INVALID }, { requestBody: body(ref("AdministratorCreate")) }),
      get: operation("administrators", "List the administrators (never a token); owners of every tenant only", "listAdministrators", ok("The administrators", { type: "object", required: ["administrators"], properties: { administrators: { type: "array", items: ref("Administrator") } } })),
    },
    "/administrators/{id}": {
      put: operation("administrators", "Change an administrator's name, email, role or tenants (the next request sees it)", "changeAdministrator", { ...ok("The administrator", ref("Administrator")), ...INVALID, "404": adminError("No such administrator") }, { parameters: [administrator], requestBody: body(ref("AdministratorUpdate")) }),
      delete: operation("administrators", "Delete an administrator; its token stops working at once", "deleteAdministrator", { "204": noContent("Deleted"), "404": adminError("No such administrator") }, { parameters: [administrator] }),
    },
    "/tenants": {
      post: operation("tenants", "Create a tenant", "createTenant", { ...created("The tenant"), ...INVALID, "409": adminError("The tenant exists") }, { requestBody: body(ref("TenantCreate")) }),
      get: operation("tenants", "List the tenants in the administrator's scope", "listTenants", ok("The tenants", listOf("tenants"))),
    },
    "/tenants/{tenant}": {
      delete: operation("tenants", "Delete a tenant with all its data and audit log", "deleteTenant", { "204": noContent("Deleted"), ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/policy": {
      get: operation("policy", "Read the tenant's policy", "readPolicy", { ...ok("The policy", ref("Policy")), ...NOT_FOUND }, inTenant()),
      put: operation("policy", "Replace the tenant's policy", "replacePolicy", { ...ok("The policy", ref("Policy")), ...INVALID, ...NOT_FOUND }, { ...inTenant(), requestBody: body(ref("Policy"), false) }),
    },
    "/tenants/{tenant}/owner": {
      get: operation("owner", "Read the account owner", "readOwner", { ...ok("The owner"), ...NOT_FOUND }, inTenant()),
      put: operation("owner", "Change the account owner", "changeOwner", { ...ok("The owner"), ...INVALID, ...NOT_FOUND }, { ...inTenant(), requestBody: body(ref("Owner")) }),
    },
    "/tenants/{tenant}/tokens": {
      post: operation("tokens", "Issue a SCIM bearer token (shown once)", "issueToken", { ...created("The token"), ...INVALID, ...NOT_FOUND }, { ...inTenant(), requestBody: body(ref("Label"), false) }),
      get: operation("tokens", "List the tenant's SCIM tokens (never the secrets)", "listTokens", { ...ok("The tokens", listOf("tokens")), ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/tokens/{id}": {
      delete: operation("tokens", "Revoke a SCIM token", "revokeToken", { "204": noContent("Revoked"), ...NOT_FOUND }, inTenant([pathParameter("id", "The token's id")])),
    },
    "/tenants/{tenant}/oauth-clients": {
      post: operation("oauth-clients", "Create an OAuth 2.0 client for the token endpoint (its secret shown once)", "createOAuthClient", { ...created("The client with its secret"), ...INVALID, ...NOT_FOUND }, { ...inTenant(), requestBody: body(ref("Label"), false) }),
      get: operation("oauth-clients", "List the tenant's OAuth clients (never the secrets)", "listOAuthClients", { ...ok("The clients", listOf("oauthClients")), ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/oauth-clients/{clientId}": {
      delete: operation("oauth-clients", "Delete an OAuth client; its access tokens stop working at once", "deleteOAuthClient", { "204": noContent("Deleted"), ...NOT_FOUND }, inTenant([pathParameter("clientId", "The client's id")])),
    },
    "/tenants/{tenant}/audit": {
      get: operation("audit", "Read the audit log", "readAudit", { ...ok("A page of audit entries"), ...INVALID, ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/seats": {
      get: operation("seats", "Seats used and the limit, the tenant's and its organization's", "readSeats", { ...ok("The seats", ref("Seats")), ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/organization": {
      get: operation("organizations", "The organization whose seats the tenant shares", "readTenantOrganization", { ...ok("`{organizationId}`, null when none"), ...NOT_FOUND }, inTenant()),
      put: operation("organizations", "Attach the tenant to an organization, or detach it with null", "changeTenantOrganization", { ...ok("`{organizationId}`"), ...INVALID, "404": adminError("No such tenant or organization") }, { ...inTenant(), requestBody: body(ref("TenantOrganization")) }),
    },
    "/organizations": {
      post: operation("organizations", "Create an organization: tenants sharing one pool of seats", "createOrganization", { ...created("The organization", ref("Organization")), ...INVALID, "409": adminError("The organization exists") }, { requestBody: body(ref("OrganizationCreate")) }),
      get: operation("organizations", "List the organizations", "listOrganizations", ok("The organizations", listOf("organizations"))),
    },
    "/organizations/{id}": {
      get: operation("organizations", "Read an organization with its seats used and tenants", "readOrganization", { ...ok("The organization", ref("Organization")), ...ORG_NOT_FOUND }, { parameters: [organization] }),
      put: operation("organizations", "Replace an organization's name and seatLimit", "replaceOrganization", { ...ok("The organization", ref("Organization")), ...INVALID, ...ORG_NOT_FOUND }, { parameters: [organization], requestBody: body(ref("OrganizationUpdate"), false) }),
      delete: operation("organizations", "Delete an organization no tenant is attached to", "deleteOrganization", { "204": noContent("Deleted"), ...ORG_NOT_FOUND, "409": adminError("Tenants are still attached; `tenants` lists them") }, { parameters: [organization] }),
    },
    "/tenants/{tenant}/users/{id}/erase": {
      post: operation("users", "Erase a user's personal data (SPEC §4 Erase)", "eraseUser", { ...ok("The erased user", ref("StoredUser")), ...NOT_FOUND }, inTenant([user])),
    },
    "/tenants/{tenant}/users/{id}/access": {
      get: operation("users", "Whether the user may log in now", "readAccess", { ...ok("The access decision"), ...NOT_FOUND }, inTenant([user])),
    },
    "/tenants/{tenant}/users/{id}/sessions": {
      post: operation("users", "Record a login session of the user", "createSession", { ...created("The session"), ...INVALID, ...NOT_FOUND }, { ...inTenant([user]), requestBody: body(ref("Label"), false) }),
    },
    "/tenants/{tenant}/users/{id}/api-keys": {
      post: operation("users", "Issue an API key of the user (shown once)", "createApiKey", { ...created("The API key"), ...INVALID, ...NOT_FOUND }, { ...inTenant([user]), requestBody: body(ref("Label"), false) }),
    },
    "/tenants/{tenant}/users/{id}/offboarding-plan": {
      get: operation("offboarding", "What deactivating or removing the user would do now, by the policy's defaults; changes nothing", "readOffboardingPlan", { ...ok("The plan", ref("OffboardingPlan")), ...INVALID, ...NOT_FOUND }, inTenant([user, OFFBOARDING_ACTION])),
      post: operation("offboarding", "What deactivating or removing the user would do now with these choices (the body of POST …/deactivate or …/remove); changes nothing", "previewOffboardingChoices", { ...ok("The plan", ref("OffboardingPlan")), ...INVALID, ...NOT_FOUND }, { ...inTenant([user, OFFBOARDING_ACTION]), requestBody: body(ref("OffboardingChoices"), false) }),
    },
    "/tenants/{tenant}/users/{id}/deactivate": {
      post: operation("offboarding", "Deactivate the user with an administrator's successor and reassign choices (SPEC §4, §11)", "deactivateUser", { ...ok("The deactivated user", ref("StoredUser")), ...INVALID, ...NOT_FOUND, ...REFUSED }, { ...inTenant([user]), requestBody: body(ref("OffboardingChoices"), false) }),
    },
    "/tenants/{tenant}/users/{id}/remove": {
      post: operation("offboarding", "Remove the user with an administrator's successor and reassign choices (SPEC §4, §11)", "removeUser", { "204": noContent("Removed"), ...INVALID, ...NOT_FOUND, ...REFUSED }, { ...inTenant([user]), requestBody: body(ref("OffboardingChoices"), false) }),
    },
    "/tenants/{tenant}/users/{id}/reactivate": {
      post: operation("offboarding", "Reactivate the user, with a reason for the audit log", "reactivateUser", { ...ok("The reactivated user", ref("StoredUser")), ...INVALID, ...NOT_FOUND }, { ...inTenant([user]), requestBody: body(ref("Reactivation"), false) }),
    },
    "/tenants/{tenant}/event-subscriptions": {
      post: operation("events", "Subscribe to the tenant's lifecycle events (push: RFC 8935; poll: RFC 8936, its poll token shown once)", "createEventSubscription", { ...created("The subscription"), ...INVALID, ...NOT_FOUND }, { ...inTenant(), requestBody: body(ref("EventSubscription")) }),
      get: operation("events", "List the tenant's event subscriptions (never the secret or poll token)", "listEventSubscriptions", { ...ok("The subscriptions", listOf("subscriptions")), ...NOT_FOUND }, inTenant()),
    },
    "/tenants/{tenant}/event-subscriptions/{id}": {
      get: operation("events", "Read an event subscription, with its counts of SETs pending, failed and dead", "readEventSubscription", { ...ok("The subscription"), ...NOT_FOUND }, inTenant([subscription])),
      put: operation("events", "Replace an event subscription's url, events and secret", "replaceEventSubscription", { ...ok("The subscription"), ...INVALID, ...NOT_FOUND }, { ...inTenant([subscription]), requestBody: body(ref("EventSubscription")) }),
      delete: operation("events", "Delete an event subscription and the SETs still owed to it", "deleteEventSubscription", { "204": noContent("Deleted"), ...NOT_FOUND }, inTenant([subscription])),
    },
    "/tenants/{tenant}/event-subscriptions/{id}/deliveries": {
      get: operation("events", "SETs owed to the subscription (?status=pending|failed|dead|delivered; default the first three), newest first", "listEventDeliveries", { ...ok("The deliveries", listOf("deliveries")), ...INVALID, ...NOT_FOUND }, inTenant([subscription])),
    },
    "/tenants/{tenant}/event-subscriptions/{id}/deliveries/{jti}/retry": {
      post: operation("events", "Owe a dead-lettered (or failed) SET again, from its first attempt", "retryEventDelivery", { ...ok("The delivery"), ...NOT_FOUND, "409": adminError("The SET was delivered already") }, inTenant([subscription, pathParameter("jti", "The SET's jti")])),
    },
    "/tenants/{tenant}/users/{id}/credentials": {
      get: operation("users", "The user's sessions and API keys", "readCredentials", { ...ok("The credentials"), ...NOT_FOUND }, inTenant([user])),
    },
  };
}
