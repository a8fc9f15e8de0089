import { INPUT_LIMITS } from "../../scim/input-limits";
import type { ResourceKind } from "../../scim/normalize-request";
import { json, noContent, pathParameter, queryParameter, ref, type Operation, type PathItem, type Responses } from "./operations";

const SCIM_TYPES = ["application/scim+json"];
const SCIM_BODY_TYPES = ["application/scim+json", "application/json"];
const TAG = "SCIM";

/** Every SCIM error has one shape (RFC 7644 §3.12); the statuses named per operation are those it answers by design. */
const scimError = (description: string) => json(description, ref("ScimError"), SCIM_TYPES);
const COMMON_ERRORS: Responses = {
  "401": scimError("No valid SCIM bearer token (RFC 7644 §2)"),
  "429": scimError("Rate limited: retry after the Retry-After header's seconds (SPEC §7)"),
  default: scimError("Any other error, as a SCIM error message (RFC 7644 §3.12)"),
};
const ETAG = { ETag: { description: "The resource's version, W/\"n\" (RFC 7644 §3.14)", schema: { type: "string" } } };
const LOCATION = { Location: { description: "The URI of the created resource", schema: { type: "string" } } };

const selection = [
  queryParameter("attributes", "Comma-separated attribute paths to return (RFC 7644 §3.9)"),
  queryParameter("excludedAttributes", "Comma-separated attribute paths not to return (RFC 7644 §3.9)"),
];
const listing = [
  queryParameter("filter", "A SCIM filter (RFC 7644 §3.4.2.2)"),
  queryParameter("sortBy", "An attribute path to sort by (RFC 7644 §3.4.2.3)"),
  queryParameter("sortOrder", "ascending or descending", { type: "string", enum: ["ascending", "descending"] }),
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0, so any integer is valid
  queryParameter("startIndex", "1-based index of the first result (RFC 7644 §3.4.2.4)", { type: "integer" }),
  queryParameter("count", `Page size, default ${INPUT_LIMITS.defaultCount} (RFC 7644 §3.4.2.4)`, { type: "integer" }),
  queryParameter("cursor", "A cursor from a previous page's nextCursor, or empty for the first page (RFC 9865)"),
  ...selection,
];
// scimmy routes POST …/.search; Roster answers it 501 (src/scim/declare-resources.ts), or 400 for a malformed SearchRequest
const SEARCH_BY_POST: Responses = { "501": scimError("Not implemented: use GET with filter"), "400": scimError("A malformed SearchRequest") };
const ifMatch = { name: "If-Match", in: "header", required: false, description: "Write only this version (RFC 7644 §3.14)", schema: { type: "string" } };

function operation(kind: string, summary: string, operationId: string, responses: Responses, more: Partial<Operation> = {}): Operation {
  return { summary, operationId, tags: [`${TAG} ${kind}`], ...more, responses: { ...responses, ...COMMON_ERRORS } };
}

function body(schema: ReturnType<typeof ref>, description: string): unknown {
  return { required: true, description, content: Object.fromEntries(SCIM_BODY_TYPES.map((type) => [type, { schema }])) };
}

function resourcePaths(kind: ResourceKind): Record<string, PathItem> {
  const plural = `${kind}s`;
  const resource = ref(kind);
  const id = pathParameter("id", `The ${kind}'s id`);
  const written = (description: string, status = "200") => ({ [status]: json(description, ref(`Stored${kind}`), SCIM_TYPES, status === "201" ? { ...ETAG, ...LOCATION } : ETAG) });
  // Group PATCH answers 204 (SPEC §3); 200 with the group is documented for clients that ask for attributes (RFC 7644 §3.5.2)
  const patched: Responses = kind === "Group" ? { "204": noContent("Patched", ETAG), ...written("Patched; the group") } : written("Patched; the user");
  return {
    [`/${plural}`]: {
      get: operation(kind, `List or filter ${plural}`, `list${plural}`, { "200": json("A ListResponse", ref(`${kind}List`), SCIM_TYPES), "400": scimError("A malformed filter, sortBy or paging parameter") }, { parameters: listing }),
      post: operation(kind, `Create a ${kind}`, `create${kind}`, { ...written("Created", "201"), "400": scimError("An invalid or incomplete resource"), "409": scimError("uniqueness: the unique attribute is taken") }, { parameters: selection, requestBody: body(resource, `The ${kind}`) }),
    },
    [`/${plural}/{id}`]: {
      get: operation(kind, `Read a ${kind}`, `read${kind}`, { ...written(`The ${kind}`), "304": noContent("If-None-Match named the current version"), "404": scimError("No such resource") }, { parameters: [id, ...selection, { name: "If-None-Match", in: "header", required: false, schema: { type: "string" } }] }),
      put: operation(kind, `Replace a ${kind}`, `replace${kind}`, { ...written("Replaced"), "400": scimError("An invalid resource"), "404": scimError("No such resource"), "409": scimError("uniqueness"), "412": scimError("If-Match names another version") }, { parameters: [id, ifMatch, ...selection], requestBody: body(resource, `The whole ${kind}`) }),
      patch: operation(kind, `Patch a ${kind}`, `patch${kind}`, { ...patched, "400": scimError("An invalid PatchOp"), "404": scimError("No such resource"), "409": scimError("uniqueness"), "412": scimError("If-Match names another version") }, { parameters: [id, ifMatch, ...selection], requestBody: body(ref("PatchOp"), "RFC 7644 §3.5.2 PatchOp") }),
      delete: operation(kind, `Delete a ${kind}`, `delete${kind}`, { "204": noContent("Deleted"), "404": scimError("No such resource"), "412": scimError("If-Match names another version") }, { parameters: [id, ifMatch] }),
    },
    [`/${plural}/.search`]: {
      post: operation(kind, `Search ${plural} by POST (RFC 7644 §3.4.3): not supported, use GET with a filter`, `search${plural}`, SEARCH_BY_POST, { requestBody: body(ref("SearchRequest"), "SearchRequest") }),
    },
  };
}

function discovery(path: string, summary: string, operationId: string, schema: ReturnType<typeof ref>, byId = false): Record<string, PathItem> {
  const responses: Responses = { "200": json(summary, schema, SCIM_TYPES), ...(byId ? { "404": scimError("No such id") } : {}) };
  return { [path]: { get: operation("discovery", summary, operationId, responses, byId ? { parameters: [pathParameter("id", "The schema URN or resource type name")] } : {}) } };
}

/** The paths under /scim/v2 (RFC 7644 §3, §4), as src/http/scim-router.ts and scimmy-routers serve them. */
export function scimPaths(): Record<string, PathItem> {
  return {
    ...resourcePaths("User"),
    ...resourcePaths("Group"),
    "/.search": {
      post: operation("discovery", "Search across resource types by POST (RFC 7644 §3.4.3): not supported, use GET with a filter", "searchAll", SEARCH_BY_POST, { requestBody: body(ref("SearchRequest"), "SearchRequest") }),
    },
    "/Bulk": {
      post: operation("Bulk", "Many writes in one request (RFC 7644 §3.7)", "bulk", { "200": json("A BulkResponse", ref("BulkResponse"), SCIM_TYPES), "400": scimError("An invalid BulkRequest"), "413": scimError("Too many operations or too large a payload") }, { requestBody: body(ref("BulkRequest"), "BulkRequest") }),
    },
    "/Me": {
      get: operation("discovery", "The authenticated subject (RFC 7644 §3.11): not implemented, tokens are not users", "readMe", { "501": scimError("Not implemented") }),
    },
    ...discovery("/ServiceProviderConfig", "The service provider configuration (RFC 7643 §5)", "readServiceProviderConfig", ref("ServiceProviderConfig")),
    ...discovery("/Schemas", "The schemas (RFC 7643 §7)", "listSchemas", ref("DiscoveryList")),
    ...discovery("/Schemas/{id}", "One schema", "readSchema", { type: "object" }, true),
    ...discovery("/ResourceTypes", "The resource types (RFC 7643 §6)", "listResourceTypes", ref("DiscoveryList")),
    ...discovery("/ResourceTypes/{id}", "One resource type", "readResourceType", { type: "object" }, true),
  };
}
