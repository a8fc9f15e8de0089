import { expect } from "chai";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import type { Express } from "express";
import pino from "pino";
import { loadConfig } from "../../src/config/load-config";
import { createApp } from "../../src/http/create-app";
import { request, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { ADMIN_TOKEN } from "../support/test-server";
import { appRoutes, type ExpressLayer } from "../support/app-routes";

/**
 * GET /openapi.json is kept true: its paths and methods are exactly the routes the app
 * serves (both ways), and what the server answers to a set of real requests has a status
 * the operation documents and a body its response schema accepts (ajv, JSON Schema 2020-12).
 */
type Document = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

function documentRoutes(document: Document): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
}

/** The spec's path template a concrete path matches. */
function templateOf(document: Document, path: string): string | undefined {
  const candidates = Object.keys(document.paths).filter((template) => new RegExp(`^${template.replace(/[.$]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
  // a literal segment wins over a parameter (/Users/.search over /Users/{id})
  return candidates.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

describe("GET /openapi.json", () => {
  let server: TestServer;
  let document: Document;
  const validators = new Map<unknown, ValidateFunction>();
  let ajv: Ajv2020;

  before(async () => {
    server = await sharedTestServer();
    const result = await request<Document>(`${server.url}/openapi.json`, "GET");
    expect(result.status).to.equal(200);
    document = result.body;
    ajv = new Ajv2020({ strict: false, allErrors: true, formats: { uri: true } });
    for (const custom of ["scim-attribute-path", "iso8601-instant"]) ajv.addFormat(custom, true);
    ajv.addFormat("date-time", (text: string) => /^\d{4}-\d\d-\d\dT/.test(text) && !Number.isNaN(Date.parse(text)));
    const pointed = JSON.parse(JSON.stringify(document).replaceAll('"#/components/schemas/', '"https://roster.invalid/openapi#/$defs/'));
    ajv.addSchema({ $id: "https://roster.invalid/openapi", $defs: pointed.components.schemas });
    document = { ...document, paths: pointed.paths };
  });

  /** Checks one real answer against the operation of its method and path: a documented status, a body its schema accepts. */
  function expectDescribed(method: string, url: string, result: HttpResult): void {
    const path = new URL(url).pathname;
    const template = templateOf(document, path);
    expect(template, `${method} ${path} is in the description`).to.be.a("string");
    const operation = document.paths[template!][method.toLowerCase()];
    expect(operation, `${method} ${template} is in the description`).to.be.an("object");
    const status = String(result.status);
    const response = operation.responses[status] ?? (result.status >= 400 ? operation.responses.default : undefined);
    expect(response, `${method} ${template} documents status ${status}`).to.be.an("object");
    const contentType = (result.headers.get("content-type") ?? "").split(";")[0];
    if (!response.content) {
      expect(result.body, `${method} ${template} ${status} has no body`).to.equal(undefined);
      return;
    }
    const media = response.content[contentType];
    expect(media, `${method} ${template} ${status} is documented as ${contentType}`).to.be.an("object");
    let validate = validators.get(media.schema);
    if (!validate) validators.set(media.schema, (validate = ajv.compile(media.schema as object)));
    expect(validate(result.body), `${method} ${template} ${status}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
  }

  it("is OpenAPI 3.1 and needs no token", () => {
    expect(document.openapi).to.match(/^3\.1\./);
  });

  it("describes exactly the routes the app serves, both ways", () => {
    const config = loadConfig({}, { port: 0, adminToken: ADMIN_TOKEN });
    const app: Express = createApp(config, pino({ level: "silent" }));
    const served = new Set(appRoutes((app as unknown as { _router: { stack: ExpressLayer[] } })._router.stack));
    const described = new Set(documentRoutes(document));
    expect([...served].filter((route) => !described.has(route)), "served but not described").to.deep.equal([]);
    expect([...described].filter((route) => !served.has(route)), "described but not served").to.deep.equal([]);
  });

  describe("real answers match their operation", () => {
    let tenant: TestTenant;
    const scim = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const result = await tenant.scim(method, path, body, headers);
      expectDescribed(method, `${server.url}/scim/v2${path.split("?")[0]}`, result);
      return result;
    };
    const admin = async (method: string, path: string, body?: unknown) => {
      const result = await request(`${server.url}/admin/v1${path}`, method, { token: ADMIN_TOKEN, body, headers: { "Content-Type": "application/json" } });
      expectDescribed(method, `${server.url}/admin/v1${path.split("?")[0]}`, result);
      return result;
    };
    beforeEach(async () => {
      tenant = await freshTenant(server);
    });

    it("users: create, read, list, replace, patch, search, delete, and their errors", async () => {
      const created = await scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ada", name: { givenName: "Ada" }, emails: [{ value: "ada@example.com", type: "work", primary: true }] });
      expect(created.status).to.equal(201);
      const id = created.body.id as string;
      expect((await scim("GET", `/Users/${id}`)).status).to.equal(200);
      expect((await scim("GET", `/Users/${id}`, undefined, { "If-None-Match": created.body.meta.version })).status).to.equal(304);
      expect((await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ada"')}`)).body.totalResults).to.equal(1);
      expect((await scim("GET", "/Users?filter=userName%20eq")).status).to.equal(400);
      expect((await scim("PUT", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ada", displayName: "Ada L" })).status).to.equal(200);
      expect((await scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] })).status).to.equal(200);
      expect((await scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ada" })).status).to.equal(409);
      expect((await scim("POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "ada"' })).status).to.equal(501);
      expect((await scim("POST", "/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "ada"' })).status).to.equal(501);
      expect((await scim("DELETE", `/Users/${id}`)).status).to.equal(204);
      expect((await scim("GET", `/Users/${id}`)).status).to.equal(404);
    });

    it("groups, bulk and discovery", async () => {
      const user = await scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "grace" });
      const group = await scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "eng", members: [{ value: user.body.id }] });
      expect(group.status).to.equal(201);
      expect((await scim("GET", `/Groups/${group.body.id}`)).status).to.equal(200);
      expect((await scim("GET", "/Groups?excludedAttributes=members")).status).to.equal(200);
      const patched = await scim("PATCH", `/Groups/${group.body.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: "members" }] });
      expect(patched.status).to.be.oneOf([200, 204]);
      const bulk = await scim("POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [{ method: "POST", bulkId: "b1", path: "/Users", data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "linus" } }] });
      expect(bulk.status).to.equal(200);
      for (const path of ["/ServiceProviderConfig", "/Schemas", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/ResourceTypes", "/ResourceTypes/User", "/ResourceTypes/Nothing", "/Me"]) await scim("GET", path);
      const anonymous = await request(`${server.url}/scim/v2/Users`, "GET");
      expect(anonymous.status).to.equal(401);
      expectDescribed("GET", `${server.url}/scim/v2/Users`, anonymous);
    });

    it("offboarding: plan, deactivate, reactivate, remove, and their errors", async () => {
      const user = (userName: string, manager?: string) => scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, ...(manager ? { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: manager } } } : {}) });
      const leader = (await user("leader")).body.id as string;
      const report = (await user("report", leader)).body.id as string;
      const spare = (await user("spare")).body.id as string;
      const base = `/tenants/${tenant.id}/users/${leader}`;
      expect((await admin("GET", `${base}/offboarding-plan?action=deactivate`)).status).to.equal(200);
      expect((await admin("POST", `${base}/offboarding-plan?action=remove`, { successor: spare })).status).to.equal(200);
      expect((await admin("GET", `${base}/offboarding-plan?action=erase`)).status).to.equal(400);
      expect((await admin("POST", `${base}/deactivate`, { reassign: { reports: { [report]: leader } } })).status).to.equal(400);
      expect((await admin("PUT", `/tenants/${tenant.id}/policy`, { reassignReportsTo: "block" })).status).to.equal(200);
      expect((await admin("POST", `${base}/deactivate`, {})).status).to.equal(409);
      expect((await admin("POST", `${base}/deactivate`, { successor: spare, reason: "openapi" })).status).to.equal(200);
      expect((await admin("POST", `${base}/reactivate`, { reason: "back" })).status).to.equal(200);
      const plain = (await user("plain")).body.id as string;
      expect((await admin("POST", `/tenants/${tenant.id}/users/${plain}/remove`, {})).status).to.equal(204);
      expect((await admin("POST", `/tenants/${tenant.id}/users/${plain}/reactivate`, {})).status).to.equal(404);
    });

    it("the admin API and the service endpoints", async () => {
      await admin("GET", "/tenants");
      for (const path of ["/policy", "/owner", "/seats", "/tokens", "/audit"]) expect((await admin("GET", `/tenants/${tenant.id}${path}`)).status).to.equal(200);
      const token = await admin("POST", `/tenants/${tenant.id}/tokens`, { label: "openapi" });
      expect(token.status).to.equal(201);
      expect((await admin("DELETE", `/tenants/${tenant.id}/tokens/${token.body.id}`)).status).to.equal(204);
      expect((await admin("GET", "/tenants/no-such-tenant/policy")).status).to.equal(404);
      expect((await admin("PUT", `/tenants/${tenant.id}/policy`, { nonsense: 1 })).status).to.equal(400);
      const org = `openapi-${tenant.id}`;
      expect((await admin("POST", "/organizations", { id: org, seatLimit: 2 })).status).to.equal(201);
      expect((await admin("POST", "/organizations", { id: org })).status).to.equal(409);
      expect((await admin("POST", "/organizations", { id: "Bad Id" })).status).to.equal(400);
      expect((await admin("PUT", `/tenants/${tenant.id}/organization`, { organizationId: org })).status).to.equal(200);
      expect((await admin("GET", `/tenants/${tenant.id}/organization`)).status).to.equal(200);
      expect((await admin("GET", `/tenants/${tenant.id}/seats`)).body.organization).to.deep.equal({ id: org, limit: 2, used: 0 });
      expect((await admin("GET", "/organizations")).status).to.equal(200);
      expect((await admin("PUT", `/organizations/${org}`, { seatLimit: 3 })).status).to.equal(200);
      expect((await admin("DELETE", `/organizations/${org}`)).status).to.equal(409);
      expect((await admin("PUT", `/tenants/${tenant.id}/organization`, { organizationId: null })).status).to.equal(200);
      expect((await admin("GET", `/organizations/${org}`)).status).to.equal(200);
      expect((await admin("DELETE", `/organizations/${org}`)).status).to.equal(204);
      expect((await admin("GET", `/organizations/${org}`)).status).to.equal(404);
      expect((await admin("GET", "/me")).status).to.equal(200);
      const named = await admin("POST", "/administrators", { name: "OpenAPI viewer", role: "viewer", tenants: [tenant.id] });
      expect(named.status).to.equal(201);
      expect((await admin("GET", "/administrators")).status).to.equal(200);
      expect((await admin("PUT", `/administrators/${named.body.id}`, { role: "manager" })).status).to.equal(200);
      expect((await admin("PUT", `/administrators/${named.body.id}`, { role: "nobody" })).status).to.equal(400);
      const refused = await request(`${server.url}/admin/v1/tenants/${tenant.id}/policy`, "PUT", { token: named.body.token, body: {}, headers: { "Content-Type": "application/json" } });
      expect(refused.status).to.equal(403);
      expectDescribed("PUT", `${server.url}/admin/v1/tenants/${tenant.id}/policy`, refused);
      expect((await admin("DELETE", `/administrators/${named.body.id}`)).status).to.equal(204);
      expect((await admin("DELETE", `/administrators/${named.body.id}`)).status).to.equal(404);
      const health = await request(`${server.url}/healthz`, "GET");
      expectDescribed("GET", `${server.url}/healthz`, health);
      expectDescribed("GET", `${server.url}/readyz`, await request(`${server.url}/readyz`, "GET"));
      for (const token of [ADMIN_TOKEN, undefined]) expectDescribed("GET", `${server.url}/metrics`, await request(`${server.url}/metrics`, "GET", { token }));
    });
  });
});
