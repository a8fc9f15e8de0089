import express, { type NextFunction, type Request, type Response, type Router } from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import { RetryableWrite, declareResources, type ScimContext } from "../scim/declare-resources";
import { patchUserResource, readResource, servedGroup, writeResource } from "../scim/serve-resource";
import { origin } from "./request-origin";
import { applyGroupPatch } from "../scim/group-patch";
import { MAX_RESULTS, listResources, type ListQuery } from "../scim/list-resources";
import { inspectPatch, inspectResourceBody, type ResourceKind } from "../scim/normalize-request";
import { settleForTenant, unknownAttributesRule } from "../scim/unknown-attributes";
import { normalizeBulk, type RefusedBulkOperation } from "../scim/normalize-bulk";
import { scimErrorBody } from "../scim/scim-error";
import { INPUT_LIMITS } from "../scim/input-limits";
import { checkSelection, projectAttributes, selectsAttribute, withoutSelection, type AttributeSelection } from "../scim/project-attributes";
import { handleAsync } from "./handle-async";
import { LOCATION_PLACEHOLDER, rebaseLocation, rebaseLocations } from "./rebase-locations";
import { locals } from "./request-context";
import { OAUTH_CLIENT_CREDENTIALS_SCHEME } from "./oauth-scheme";

export interface ScimRouterOptions {
  maxPayloadSize: number;
  maxBulkOperations: number;
}

const WRITE_RETRIES = 5;
const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

type ResourceClass = new (...args: unknown[]) => {
  id?: string;
  read(ctx: ScimContext): Promise<ScimJson>;
  write(body: unknown, ctx: ScimContext): Promise<ScimJson>;
  patch(body: unknown, ctx: ScimContext): Promise<ScimJson | undefined>;
  dispose(ctx: ScimContext): Promise<void>;
};

function resourceClass(kind: ResourceKind): ResourceClass {
  return (kind === "User" ? SCIMMY.Resources.User : SCIMMY.Resources.Group) as unknown as ResourceClass;
}

/** The version number in an If-Match / If-None-Match header (`W/"3"`, `"3"`); `*` means any. */
export function parseVersionHeader(header: string | undefined): number | undefined {
  if (!header || header.trim() === "*") return undefined;
  const version = versionNumber(header);
  if (version === undefined) throw RosterError.preconditionFailed("If-Match does not name a version of this resource");
  return version;
}

function scimContext(req: Request, res: Response, bulk = false): ScimContext {
  const { tenant, actor, actorName, requestId, ignoredAttributes } = locals(res);
  return { action: { tenant: tenant!, actor: actor!, ...(actorName ? { actorName } : {}), requestId, bulk, ifMatch: parseVersionHeader(req.header("if-match")), ...(ignoredAttributes?.length ? { ignoredAttributes } : {}) } };
}

/**
 * Writes one resource: ETag and Location from its meta, then `attributes`/`excludedAttributes`
 * (RFC 7644 §3.9, §3.14). `located`: its locations already name this request's origin.
 */
function sendResource(req: Request, res: Response, status: number, resource: ScimJson, located = false): void {
  const meta = resource.meta as { version?: string; location?: string } | undefined;
  if (meta?.version) res.setHeader("ETag", meta.version);
  if (status === 201 && meta?.location) res.setHeader("Location", rebaseLocation(meta.location, origin(req)));
  const body = projectAttributes(resource, selection(req));
  if (located) sendLocated(res, status, body);
  else res.status(status).json(body);
}

/** A body built with this request's origin in its locations: written as is, no copy to rebase. */
function sendLocated(res: Response, status: number, body: unknown): void {
  res.status(status).type("application/scim+json").send(JSON.stringify(body));
}

/**
 * Bounds of INPUT_LIMITS on what one write may carry, checked before anything is read or
 * written: `413` for too many PATCH operations or members (sizes, as RFC 7644 §3.7.4 answers
 * too many Bulk operations).
 */
function checkWriteBounds(body: unknown, kind: ResourceKind, method: string): void {
  if (!isObject(body)) return;
  let members = 0;
  if (method === "PATCH") {
    const operations = ownValue(body, "operations");
    if (!Array.isArray(operations)) return;
    if (operations.length > INPUT_LIMITS.maxPatchOperations) {
      throw RosterError.overInputLimit(`A PATCH request may carry at most ${INPUT_LIMITS.maxPatchOperations} operations; this one has ${operations.length}`);
    }
    for (const operation of operations) {
      if (!isObject(operation)) continue;
      const value = ownValue(operation, "value");
      if (Array.isArray(value)) members += value.length;
      else if (isObject(value)) members += arrayLength(ownValue(value, "members"));
    }
  } else {
    members = arrayLength(ownValue(body, "members"));
  }
  if (kind === "Group" && members > INPUT_LIMITS.maxMembersPerRequest) {
    throw RosterError.overInputLimit(`A request may name at most ${INPUT_LIMITS.maxMembersPerRequest} members; this one names ${members}`);
  }
}

/** A key of a client object, matched case-insensitively as attribute names are (RFC 7643 §2.1). */
function ownValue(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : object[key];
}

function arrayLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function selection(req: Request): AttributeSelection {
  const { attributes, excludedAttributes } = req.query;
  return { attributes: typeof attributes === "string" ? attributes : undefined, excludedAttributes: typeof excludedAttributes === "string" ? excludedAttributes : undefined };
}

/** If-None-Match (RFC 7232 §3.2, weak comparison): `*`, or a list of tags one of which names `version`. */
export function noneMatch(header: string | undefined, version: string): boolean {
  if (!header) return false;
  const wanted = versionNumber(version);
  return header.split(",").some((tag) => tag.trim() === "*" || (wanted !== undefined && versionNumber(tag) === wanted));
}

function versionNumber(tag: string): number | undefined {
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(tag.trim());
  return match ? Number(match[1]) : undefined;
}

/** Retries a write that raced another one when the client gave no If-Match (RFC 7644 §3.14). */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof RetryableWrite) || attempt >= WRITE_RETRIES) throw error;
    }
  }
}

/** A normalized body under the tenant's `unknownAttributes` policy; the names it ignored go to the request's log line and audit entry. */
async function normalizedBody(res: Response, kind: ResourceKind, inspected: Parameters<typeof settleForTenant>[2]): Promise<ScimJson> {
  const { value, ignored } = await settleForTenant(locals(res).tenant!, kind, inspected);
  if (ignored.length) locals(res).ignoredAttributes = ignored;
  return value;
}

function resourceRoutes(kind: ResourceKind): Router {
  const router = express.Router();
  const Resource = () => resourceClass(kind);
  // attributes/excludedAttributes are applied by projectAttributes, not by scimmy
  const query = (req: Request) => withoutSelection(req.query as Record<string, string>);

  router.use(function checkRequestBounds(req, _res, next) {
    const { attributes, excludedAttributes } = req.query as Record<string, unknown>;
    checkSelection({ attributes, excludedAttributes } as AttributeSelection);
    checkWriteBounds(req.body, kind, req.method);
    next();
  });

  router.get("/", handleAsync(async function listResourcesRoute(req, res) {
    const basepath = `${origin(req)}${scimBase(req)}/${kind}s`;
    sendLocated(res, 200, await listResources(kind, locals(res).tenant!, req.query as ListQuery, basepath));
  }));
  router.get("/:id", handleAsync(async function readResourceRoute(req, res) {
    // scimmy still refuses the query parameters it refuses on a read (a malformed filter, …)
    new (Resource())(req.params.id, query(req));
    // Entra reads groups with excludedAttributes=members: a big member list is then not loaded at all
    const withMemberships = selectsAttribute(selection(req), kind === "User" ? "groups" : "members");
    const resource = await readResource(kind, locals(res).tenant!, req.params.id, { withMemberships, basepath: `${origin(req)}${req.baseUrl}` });
    const version = (resource.meta as { version?: string }).version;
    if (version && noneMatch(req.header("if-none-match"), version)) {
      res.setHeader("ETag", version);
      res.status(304).end();
      return;
    }
    sendResource(req, res, 200, resource, true);
  }));
  router.post("/", handleAsync(async function createResource(req, res) {
    const body = await normalizedBody(res, kind, inspectResourceBody(req.body, kind));
    const resource = new (Resource())(query(req));
    sendResource(req, res, 201, await writeResource(kind, resource, body, scimContext(req, res), `${origin(req)}${req.baseUrl}`), true);
  }));
  router.put("/:id", handleAsync(async function replaceResource(req, res) {
    const body = await normalizedBody(res, kind, inspectResourceBody(req.body, kind));
    const resource = new (Resource())(req.params.id, query(req));
    sendResource(req, res, 200, await withRetry(() => writeResource(kind, resource, body, scimContext(req, res), `${origin(req)}${req.baseUrl}`)), true);
  }));
  router.patch("/:id", handleAsync(async function patchResource(req, res) {
    const message = await normalizedBody(res, kind, inspectPatch(req.body, kind));
    if (kind === "Group") {
      // applyGroupPatch recomputes a PATCH that lost a race itself (one write, all-or-nothing)
      const written = await applyGroupPatch(req.params.id, message, scimContext(req, res));
      const wanted = selection(req);
      // RFC 7644 §3.5.2: a client naming attributes/excludedAttributes asks for the resource back
      if (wanted.attributes !== undefined || wanted.excludedAttributes !== undefined) {
        const basepath = `${origin(req)}${req.baseUrl}`;
        sendResource(req, res, 200, await servedGroup(written, { withMembers: selectsAttribute(wanted, "members"), basepath }), true);
        return;
      }
      res.setHeader("ETag", `W/"${written.version}"`);
      res.status(204).end();
      return;
    }
    // scimmy still refuses the query parameters it refuses on a PATCH
    new (Resource())(req.params.id, query(req));
    // A PATCH that changes nothing still answers 200 with the resource (IDP-TRAFFIC: Entra expects it).
    const patched = await withRetry(() => patchUserResource({ id: req.params.id }, message, scimContext(req, res), `${origin(req)}${req.baseUrl}`));
    sendResource(req, res, 200, patched, true);
  }));
  router.delete("/:id", handleAsync(async function removeResource(req, res) {
    await new (Resource())(req.params.id).dispose(scimContext(req, res));
    res.status(204).end();
  }));
  return router;
}

/** The SCIM base path (`/scim/v2`) whichever sub-router the request is in. */
function scimBase(req: Request): string {
  return req.baseUrl.replace(/\/(Users|Groups)$/, "");
}

/**
 * Sets scimmy's process-wide base paths to one constant, the same for every request (scimmy-routers
 * is given the same origin), so nothing of one request's Host can reach another's response;
 * answerScimJson then puts each request's own origin into its locations.
 */
function setBasepath(req: Request, _res: Response, next: NextFunction): void {
  const base = `${LOCATION_PLACEHOLDER}${req.baseUrl}`;
  SCIMMY.Resources.Schema.basepath(base);
  SCIMMY.Resources.ResourceType.basepath(base);
  SCIMMY.Resources.ServiceProviderConfig.basepath(base);
  for (const Declared of Object.values(SCIMMY.Resources.declared() as Record<string, { basepath(path: string): unknown }>)) Declared.basepath(base);
  next();
}

/**
 * Responses are `application/scim+json` (RFC 7644 §3.1, SPEC §3), whichever handler writes the
 * JSON, and their locations name the origin this request was sent to (RFC 7644 §3.1).
 */
function answerScimJson(req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    if (!res.get("Content-Type")) res.type("application/scim+json");
    return json(rebaseLocations(body, origin(req)));
  };
  next();
}

/**
 * Runs a /Bulk request through scimmy, with the operations refused before it ran reported
 * first (RFC 7644 §3.7.3): they count towards `failOnErrors`, so at most that many errors are
 * reported and nothing runs once it is reached by refusals alone.
 */
async function applyBulk(request: ScimJson, refused: RefusedBulkOperation[], maxOperations: number, context: ScimContext): Promise<ScimJson> {
  const failOnErrors = typeof request.failOnErrors === "number" && request.failOnErrors > 0 ? request.failOnErrors : undefined;
  const reported = (failOnErrors === undefined ? refused : refused.slice(0, failOnErrors)).map(refusedResult);
  const operations = request.Operations as ScimJson[];
  if (!operations.length || (failOnErrors !== undefined && refused.length >= failOnErrors)) {
    return { schemas: [BULK_RESPONSE], Operations: reported };
  }
  const remaining = failOnErrors === undefined ? request : { ...request, failOnErrors: failOnErrors - refused.length };
  const result = (await new SCIMMY.Messages.BulkRequest(remaining as never, maxOperations).apply(undefined, context as never)) as unknown as ScimJson;
  const ran = JSON.parse(JSON.stringify(result)) as ScimJson;
  return { ...ran, Operations: [...reported, ...((ran.Operations as ScimJson[] | undefined) ?? [])] };
}

function refusedResult(operation: RefusedBulkOperation): ScimJson {
  const { status, body } = scimErrorBody(operation.error);
  return { method: operation.method, ...(operation.bulkId ? { bulkId: operation.bulkId } : {}), status: String(status), response: body };
}

/** checkWriteBounds for each operation of a /Bulk request (RFC 7644 §3.7). */
function checkBulkBounds(body: unknown): void {
  const operations = isObject(body) ? body.Operations : undefined;
  if (!Array.isArray(operations)) return;
  for (const operation of operations) {
    if (!isObject(operation)) continue;
    const kind: ResourceKind | undefined = /^\/Users(\/|$)/i.test(String(operation.path ?? "")) ? "User" : /^\/Groups(\/|$)/i.test(String(operation.path ?? "")) ? "Group" : undefined;
    if (kind) checkWriteBounds(operation.data, kind, String(operation.method ?? "").toUpperCase());
  }
}

/**
 * /scim/v2 after authentication: Users and Groups served by Roster's handlers
 * through scimmy's resource classes; discovery served by scimmy-routers.
 */
export function createScimRouter(options: ScimRouterOptions): Router {
  declareResources();
  const router = express.Router();
  router.use(answerScimJson);
  router.use(setBasepath);
  // POST …/.search (RFC 7644 §3.4.3) is not offered: answered here, since scimmy's SearchRequest over
  // both resource types reported both refusals and wrote a second response into a closed one
  router.post(["/.search", "/Users/.search", "/Groups/.search"], function searchByPost(_req, _res, next) {
    next(RosterError.notImplemented("Searching through this endpoint is not supported; use GET with filter"));
  });
  // /Me (RFC 7644 §3.11): a token is not a user. scimmy-routers read the user "" (400) and, for other
  // methods, wrote a second response into a closed one
  router.all("/Me", function me(_req, _res, next) {
    next(RosterError.notImplemented("/Me is not supported: a SCIM token authenticates a client, not a user"));
  });
  router.use("/Users", resourceRoutes("User"));
  router.use("/Groups", resourceRoutes("Group"));
  router.post("/Bulk", handleAsync(async function bulk(req, res) {
    checkBulkBounds(req.body);
    const ignored: string[] = [];
    const { request, refused } = normalizeBulk(req.body, options.maxBulkOperations, await unknownAttributesRule(locals(res).tenant!), ignored);
    if (ignored.length) locals(res).ignoredAttributes = ignored;
    const context = scimContext(req, res, true);
    res.status(200).json(await applyBulk(request, refused, options.maxBulkOperations, context));
  }));
  router.get("/ServiceProviderConfig", handleAsync(async function serviceProviderConfig(_req, res) {
    const config = (await new SCIMMY.Resources.ServiceProviderConfig().read()) as unknown as ScimJson;
    res.json({ ...JSON.parse(JSON.stringify(config)), pagination: { cursor: true, index: true, defaultPaginationMethod: "index", defaultPageSize: INPUT_LIMITS.defaultCount, maxPageSize: MAX_RESULTS } });
  }));

  // scimmy-routers appends its scheme to the process-wide config: start from none so a second app does not advertise it twice
  SCIMMY.Config.set("authenticationSchemes", []);
  const discovery = new SCIMMYRouters({
    type: "bearer",
    docUri: "https://datatracker.ietf.org/doc/html/rfc6750",
    // authentication already happened in front of this router
    handler: async (req: Request) => {
      if (!(req.res && locals(req.res).tenant)) throw new Error("Unauthorized");
      return "";
    },
    context: async () => ({}),
    baseUri: () => LOCATION_PLACEHOLDER,
  });
  SCIMMY.Config.set("authenticationSchemes", { ...OAUTH_CLIENT_CREDENTIALS_SCHEME });
  SCIMMY.Config.set({
    patch: true,
    filter: { supported: true, maxResults: MAX_RESULTS },
    sort: true,
    etag: true,
    changePassword: false,
    bulk: { supported: true, maxOperations: options.maxBulkOperations, maxPayloadSize: options.maxPayloadSize },
  });
  // discovery endpoints are read-only (RFC 7644 §4): other methods are 405, not 404
  router.all(["/ServiceProviderConfig", "/Schemas", "/Schemas/*", "/ResourceTypes", "/ResourceTypes/*"], function methodNotAllowed(req, res, next) {
    if (req.method === "GET" || req.method === "HEAD") return next();
    res.setHeader("Allow", "GET");
    next(RosterError.methodNotAllowed(req.method, req.path));
  });
  router.use(discovery);
  return router;
}
