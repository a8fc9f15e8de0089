import { payloadSchema, type PayloadName } from "../../services/validate-payload";
import { resourceJsonSchema, storedResourceJsonSchema, type JsonSchema } from "../../scim/resource-json-schema";
import { adminPaths } from "./admin-paths";
import { eventsPaths } from "./events-paths";
import { json, ref, type PathItem } from "./operations";
import { scimPaths } from "./scim-paths";

export const SCIM_BASE = "/scim/v2";
export const ADMIN_BASE = "/admin/v1";
export const EVENTS_BASE = "/events/v1";

const listResponse = (items: JsonSchema): JsonSchema => ({
  type: "object",
  required: ["schemas", "totalResults", "Resources"],
  properties: {
    schemas: { type: "array", items: { const: "urn:ietf:params:scim:api:messages:2.0:ListResponse" } },
    totalResults: { type: "integer", minimum: 0 },
    startIndex: { type: "integer", minimum: 1 },
    itemsPerPage: { type: "integer", minimum: 0 },
    nextCursor: { type: "string" },
    previousCursor: { type: "string" },
    Resources: { type: "array", items },
  },
});

const REFUSAL: JsonSchema = {
  type: "object",
  required: ["status", "reason", "detail"],
  properties: {
    status: { type: "integer" },
    reason: { type: "string" },
    detail: { type: "string" },
    missing: { type: "array", items: { type: "string" } },
    pending: { type: "object", properties: { reports: { type: "array", items: { type: "string" } }, groups: { type: "array", items: { type: "string" } } } },
  },
};
const IDS: JsonSchema = { type: "array", items: { type: "string" } };

/** GET|POST …/users/{id}/offboarding-plan (src/services/admin-offboarding.ts OffboardingPlanView). */
const OFFBOARDING_PLAN: JsonSchema = {
  type: "object",
  required: ["action", "user", "allowed", "unchanged", "refusals", "inBulk", "successor", "reports", "groups", "memberships", "sessions", "apiKeys", "seats", "choices"],
  properties: {
    action: { enum: ["deactivate", "remove"] },
    user: { type: "object", required: ["id", "userName", "active"] },
    allowed: { type: "boolean" },
    unchanged: { type: "boolean" },
    refusals: { type: "array", items: REFUSAL },
    inBulk: { oneOf: [REFUSAL, { type: "null" }] },
    successor: { oneOf: [{ type: "object", required: ["id", "source"], properties: { id: { type: "string" }, userName: { type: ["string", "null"] }, source: { enum: ["chosen", "manager", "owner"] } } }, { type: "null" }] },
    reports: { type: "array", items: { type: "object", required: ["id", "newManager", "chosen"], properties: { newManager: { type: ["string", "null"] }, chosen: { type: "boolean" } } } },
    groups: { type: "array", items: { type: "object", required: ["id", "newLeader", "chosen"], properties: { newLeader: { type: ["string", "null"] }, chosen: { type: "boolean" } } } },
    memberships: { type: "object", required: ["kept", "dropped"], properties: { kept: IDS, dropped: IDS } },
    sessions: { type: "object", required: ["revoked"], properties: { revoked: IDS } },
    apiKeys: { type: "object", required: ["revoked", "kept"], properties: { revoked: IDS, kept: IDS } },
    seats: { type: "object", required: ["freed", "reason", "tenant", "organization"] },
    choices: { type: "object" },
  },
};

/** An admin payload schema of schemas/ as a component: the draft-07 keywords it uses mean the same in 2020-12. */
function payloadComponent(name: PayloadName): JsonSchema {
  const { $schema: _dialect, $id: _id, ...schema } = payloadSchema(name);
  return schema;
}

function components(): JsonSchema {
  return {
    securitySchemes: {
      scimToken: { type: "http", scheme: "bearer", description: "A tenant's SCIM token (POST /admin/v1/tenants/{t}/tokens)" },
      adminToken: { type: "http", scheme: "bearer", description: "ROSTER_ADMIN_TOKEN" },
      metricsToken: { type: "http", scheme: "bearer", description: "ROSTER_METRICS_TOKEN: may scrape /metrics and nothing else" },
      pollToken: { type: "http", scheme: "bearer", description: "A poll subscription's token (shown once by POST /admin/v1/tenants/{t}/event-subscriptions)" },
    },
    schemas: {
      User: resourceJsonSchema("User"),
      Group: resourceJsonSchema("Group"),
      StoredUser: storedResourceJsonSchema("User"),
      StoredGroup: storedResourceJsonSchema("Group"),
      UserList: listResponse(ref("StoredUser")),
      GroupList: listResponse(ref("StoredGroup")),
      DiscoveryList: listResponse({ type: "object" }),
      PersonRef: {
        type: "object",
        required: ["id", "userName", "displayName", "active"],
        properties: { id: { type: "string" }, userName: { type: "string" }, displayName: { type: ["string", "null"] }, active: { type: "boolean" } },
      },
      Person: {
        type: "object",
        required: ["user", "manager", "reports", "groups"],
        properties: {
          user: ref("StoredUser"),
          manager: { oneOf: [ref("PersonRef"), { type: "null" }] },
          reports: { type: "array", items: ref("PersonRef") },
          groups: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "displayName", "member", "leads"],
              properties: { id: { type: "string" }, displayName: { type: "string" }, member: { type: "boolean" }, leads: { type: "boolean", description: "the person leads the group (Roster extension manager)" } },
            },
          },
        },
      },
      ScimError: {
        type: "object",
        required: ["schemas", "status"],
        properties: {
          schemas: { type: "array", items: { const: "urn:ietf:params:scim:api:messages:2.0:Error" } },
          status: { type: "string", pattern: "^[1-5][0-9]{2}$" },
          scimType: { type: "string" },
          detail: { type: "string" },
        },
      },
      PatchOp: {
        type: "object",
        required: ["Operations"],
        properties: {
          schemas: { type: "array", items: { type: "string" } },
          Operations: {
            type: "array",
            items: { type: "object", required: ["op"], properties: { op: { type: "string", pattern: "^([Aa][Dd][Dd]|[Rr][Ee][Mm][Oo][Vv][Ee]|[Rr][Ee][Pp][Ll][Aa][Cc][Ee])$", description: "add, remove or replace, in any case" }, path: { type: "string" }, value: {} } },
          },
        },
      },
      SearchRequest: {
        type: "object",
        properties: {
          schemas: { type: "array", items: { const: "urn:ietf:params:scim:api:messages:2.0:SearchRequest" } },
          filter: { type: "string" }, sortBy: { type: "string" }, sortOrder: { type: "string" },
          startIndex: { type: "integer" }, count: { type: "integer" },
          attributes: { type: "array", items: { type: "string" } }, excludedAttributes: { type: "array", items: { type: "string" } },
        },
      },
      BulkRequest: {
        type: "object",
        required: ["Operations"],
        properties: {
          schemas: { type: "array", items: { type: "string" } },
          failOnErrors: { type: "integer" },
          Operations: { type: "array", minItems: 1, items: { type: "object", required: ["method"], properties: { method: { type: "string" }, bulkId: { type: "string" }, path: { type: "string" }, version: { type: "string" }, data: {} } } },
        },
      },
      BulkResponse: {
        type: "object",
        required: ["schemas", "Operations"],
        properties: {
          schemas: { type: "array", items: { const: "urn:ietf:params:scim:api:messages:2.0:BulkResponse" } },
          Operations: { type: "array", items: { type: "object", required: ["method", "status"], properties: { method: { type: "string" }, bulkId: { type: "string" }, location: { type: "string" }, version: { type: "string" }, status: { type: "string" }, response: {} } } },
        },
      },
      ServiceProviderConfig: {
        type: "object",
        required: ["schemas", "patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes"],
        properties: { schemas: { type: "array", items: { type: "string" } }, authenticationSchemes: { type: "array", items: { type: "object" } } },
      },
      AdminError: {
        type: "object",
        required: ["status", "detail", "errors"],
        properties: { status: { type: "integer" }, detail: { type: "string" }, errors: { type: "array" } },
      },
      TenantCreate: payloadComponent("tenantCreate"),
      Policy: payloadComponent("policy"),
      Owner: payloadComponent("owner"),
      Label: payloadComponent("label"),
      OrganizationCreate: payloadComponent("organizationCreate"),
      OrganizationUpdate: payloadComponent("organizationUpdate"),
      TenantOrganization: payloadComponent("tenantOrganization"),
      Organization: {
        type: "object",
        required: ["id", "name", "seatLimit", "used", "tenants"],
        properties: { id: { type: "string" }, name: { type: "string" }, seatLimit: { type: ["integer", "null"] }, used: { type: "integer" }, tenants: { type: "array", items: { type: "string" } } },
      },
      Seats: {
        type: "object",
        required: ["limit", "used", "organization"],
        properties: {
          limit: { type: ["integer", "null"] },
          used: { type: "integer" },
          organization: {
            oneOf: [{ type: "null" }, { type: "object", required: ["id", "limit", "used"], properties: { id: { type: "string" }, limit: { type: ["integer", "null"] }, used: { type: "integer" } } }],
          },
        },
      },
      AdministratorCreate: payloadComponent("administratorCreate"),
      AdministratorUpdate: payloadComponent("administratorUpdate"),
      Me: {
        type: "object",
        required: ["id", "name", "role", "tenants"],
        properties: { id: { type: "string" }, name: { type: "string" }, role: { enum: ["viewer", "manager", "owner"] }, tenants: { type: "array", items: { type: "string" } } },
      },
      Administrator: {
        type: "object",
        required: ["id", "name", "email", "role", "tenants", "createdAt", "updatedAt"],
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          email: { type: ["string", "null"] },
          role: { enum: ["viewer", "manager", "owner"] },
          tenants: { type: "array", items: { type: "string" } },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
          token: { type: "string", description: "only in the answer to POST /administrators: shown once, stored as a hash" },
        },
      },
      OffboardingChoices: payloadComponent("offboarding"),
      Reactivation: payloadComponent("reactivate"),
      OffboardingPlan: OFFBOARDING_PLAN,
      EventSubscription: payloadComponent("eventSubscription"),
      EventPoll: payloadComponent("eventPoll"),
      OAuthError: { type: "object", required: ["error"], properties: { error: { type: "string" }, error_description: { type: "string" } } },
    },
  };
}

/** Prefixes each path of a table and puts one security requirement on each of its operations. */
function mounted(base: string, paths: Record<string, PathItem>, scheme: string): Record<string, PathItem> {
  return Object.fromEntries(Object.entries(paths).map(([path, item]) => [
    `${base}${path}`,
    Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, { ...operation, security: [{ [scheme]: [] }] }])),
  ]));
}

/**
 * The OpenAPI 3.1 description Roster serves at GET /openapi.json: the SCIM API (RFC 7644),
 * the admin API (SPEC §6) and the unauthenticated endpoints. Component schemas of users and
 * groups come from the attribute table; test/http/openapi.test.ts compares the paths with the
 * app's routes both ways and validates real responses against the schemas.
 */
export function buildOpenApiDocument(version: string): JsonSchema {
  return {
    openapi: "3.1.0",
    info: {
      title: "Roster",
      version,
      description: "SCIM 2.0 provisioning (RFC 7643, RFC 7644) and Roster's admin API. SCIM attribute names are case-insensitive (RFC 7643 §2.1).",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths: {
      "/healthz": {
        get: {
          summary: "Liveness and database reachability", operationId: "health", tags: ["Service"],
          responses: { "200": json("Up", { type: "object", properties: { status: { const: "ok" } } }, ["application/json"]), "503": json("The database is unreachable", { type: "object" }, ["application/json"]) },
        },
      },
      "/readyz": {
        get: {
          summary: "Readiness: the database answers and the server is not draining (SIGTERM)", operationId: "ready", tags: ["Service"],
          responses: {
            "200": json("Ready for traffic", { type: "object", required: ["status"], properties: { status: { const: "ready" } } }, ["application/json"]),
            "503": json("Draining, or the database is unreachable", { type: "object", required: ["status"], properties: { status: { enum: ["draining", "unavailable"] } } }, ["application/json"]),
          },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics (text exposition format 0.0.4): requests, rate limits, transitions, cascades, database commands, process", operationId: "metrics", tags: ["Service"],
          security: [{ metricsToken: [] }, { adminToken: [] }],
          responses: {
            "200": json("The metrics", { type: "string" }, ["text/plain"]),
            "401": json("No valid metrics or admin token", ref("AdminError"), ["application/json"]),
            "429": json("Too many failed attempts from this address: retry after the Retry-After header's seconds", ref("AdminError"), ["application/json"]),
          },
        },
      },
      "/oauth/token": {
        post: {
          summary: "OAuth 2.0 client credentials grant (RFC 6749 §4.4): a bearer token for SCIM", operationId: "oauthToken", tags: ["Service"],
          requestBody: {
            required: true,
            content: { "application/x-www-form-urlencoded": { schema: { type: "object", required: ["grant_type"], properties: { grant_type: { const: "client_credentials" }, client_id: { type: "string" }, client_secret: { type: "string" } } } } },
          },
          responses: {
            "200": json("The access token", { type: "object", required: ["access_token", "token_type", "expires_in"], properties: { access_token: { type: "string" }, token_type: { const: "Bearer" }, expires_in: { type: "integer" } } }, ["application/json"]),
            "400": json("invalid_request or unsupported_grant_type (RFC 6749 §5.2)", ref("OAuthError"), ["application/json"]),
            "401": json("invalid_client, with WWW-Authenticate (RFC 6749 §5.2)", ref("OAuthError"), ["application/json"]),
            "405": json("Not POST", ref("OAuthError"), ["application/json"]),
            "429": json("Rate limited: retry after the Retry-After header's seconds", { type: "object" }, ["application/json"]),
          },
        },
      },
      "/openapi.json": {
        get: { summary: "This description", operationId: "openapi", tags: ["Service"], responses: { "200": json("OpenAPI 3.1", { type: "object" }, ["application/json"]) } },
      },
      ...mounted(SCIM_BASE, scimPaths(), "scimToken"),
      ...mounted(ADMIN_BASE, adminPaths(), "adminToken"),
      ...eventsPaths(EVENTS_BASE),
    },
    components: components(),
  };
}
