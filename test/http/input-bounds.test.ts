import { expect } from "chai";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Writable } from "node:stream";
import pino from "pino";
import { loadConfig } from "../../src/config/load-config";
import { createApp } from "../../src/http/create-app";
import { INPUT_LIMITS } from "../../src/scim/input-limits";
import { ADMIN_TOKEN, request, type TestServer } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP } from "../support/urns";

function nested(depth: number): unknown {
  let value: unknown = "x";
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

describe("input bounds (INPUT_LIMITS)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("PATCH", () => {
    it(`answers 413 to more than ${INPUT_LIMITS.maxPatchOperations} operations and changes nothing`, async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "ann");
      const operations = Array.from({ length: INPUT_LIMITS.maxPatchOperations + 1 }, () => ({ op: "replace", path: "title", value: "t" }));
      expectScimError(await tenant.scim("PATCH", `/Users/${user.id}`, patchOp(...operations)), 413);
      expect((await tenant.scim("GET", `/Users/${user.id}`)).body.title).to.equal(undefined);
    });

    it(`answers 413 to more than ${INPUT_LIMITS.maxMembersPerRequest} members [PATCH, POST, PUT, Bulk]`, async () => {
      const tenant = await freshTenant(server);
      const group = await createGroup(tenant, "big");
      const members = Array.from({ length: INPUT_LIMITS.maxMembersPerRequest + 1 }, (_unused, index) => ({ value: `m${index}` }));
      expectScimError(await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: members })), 413);
      expectScimError(await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", value: { members } })), 413);
      expectScimError(await tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: "other", members }), 413);
      expectScimError(await tenant.scim("PUT", `/Groups/${group.id}`, { schemas: [CORE_GROUP], displayName: "big", Members: members }), 413);
      const bulk = { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [{ method: "POST", path: "/Groups", bulkId: "g", data: { schemas: [CORE_GROUP], displayName: "bulk", members } }] };
      expectScimError(await tenant.scim("POST", "/Bulk", bulk), 413);
      expect((await list(tenant, "/Groups")).totalResults).to.equal(1);
    });
  });

  describe("request bodies", () => {
    it(`answers 400 invalidSyntax to a body nesting deeper than ${INPUT_LIMITS.maxJsonDepth} levels [POST, PATCH, Bulk]`, async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "bob");
      const deep = nested(INPUT_LIMITS.maxJsonDepth + 1);
      expectScimError(await tenant.scim("POST", "/Users", { userName: "deep", name: deep }), 400, "invalidSyntax");
      expectScimError(await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: "name", value: deep })), 400, "invalidSyntax");
      expectScimError(await tenant.scim("POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [{ method: "POST", path: "/Users", data: deep }] }), 400, "invalidSyntax");
      expect((await list(tenant, "/Users")).totalResults).to.equal(1);
    });

    it("answers 4xx to a deeply nested admin body, never 500 [admin API]", async () => {
      const deep = `{"id":"deep-tenant","name":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      for (const path of ["/admin/v1/tenants", "/admin/v1/tenants/none/policy"]) {
        const result = await request(`${server.url}${path}`, path.endsWith("policy") ? "PUT" : "POST", { token: ADMIN_TOKEN, body: deep, headers: { "Content-Type": "application/json" } });
        expect(result.status, `${path}: ${JSON.stringify(result.body)}`).to.be.within(400, 499);
      }
    });

    it("answers 400 to a body nested a hundred thousand levels, and keeps serving", async () => {
      const tenant = await freshTenant(server);
      const text = `{"userName":"x","name":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      expectScimError(await tenant.scim("POST", "/Users", text), 400, "invalidSyntax");
      expectScimError(await tenant.scim("POST", "/Bulk", `${"{\"a\":".repeat(100_000)}1${"}".repeat(100_000)}`), 400, "invalidSyntax");
      expect((await list(tenant, "/Users")).totalResults).to.equal(0);
    });
  });

  describe("filter", () => {
    it(`answers 400 invalidFilter to a filter longer than ${INPUT_LIMITS.maxFilterLength} characters`, async () => {
      const tenant = await freshTenant(server);
      const long = `userName eq "${"a".repeat(INPUT_LIMITS.maxFilterLength)}"`;
      expectScimError(await tenant.scim("GET", `/Users${filterQuery(long)}`), 400, "invalidFilter");
    });

    it("answers 400 invalidFilter to deep nesting without overflowing [parentheses, not, mixed]", async () => {
      const tenant = await freshTenant(server);
      const depth = INPUT_LIMITS.maxFilterDepth + 1;
      for (const filter of [
        `${"(".repeat(depth)}userName pr${")".repeat(depth)}`,
        `${"not (".repeat(depth)}userName pr${")".repeat(depth)}`,
        `${"not(".repeat(1000)}userName pr${")".repeat(1000)}`.slice(0, INPUT_LIMITS.maxFilterLength),
        `${"(userName pr or ".repeat(depth)}title pr${")".repeat(depth)}`,
      ]) {
        expectScimError(await tenant.scim("GET", `/Users${filterQuery(filter)}`), 400, "invalidFilter");
      }
    });

    it("runs the deepest filter the limit allows [MongoDB nests queries 100 levels at most]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "cid");
      // a bare `not` is one level of the filter and two of the query ({$nor: [...]}), the most any level adds
      const filter = `${"not ".repeat(INPUT_LIMITS.maxFilterDepth)}userName pr`;
      const result = await tenant.scim("GET", `/Users${filterQuery(filter)}&cursor=&sortBy=userName`);
      expect(result.status, JSON.stringify(result.body)).to.equal(200);
      const mixed = `${"not (title pr or not (".repeat(INPUT_LIMITS.maxFilterDepth / 4)}userName pr${"))".repeat(INPUT_LIMITS.maxFilterDepth / 4)}`;
      expect((await tenant.scim("GET", `/Users${filterQuery(mixed)}`)).status).to.equal(200);
    });
  });

  describe("startIndex and count", () => {
    for (const [name, value] of [["startIndex", "1e400"], ["startIndex", "abc"], ["startIndex", "1.5"], ["startIndex", "9007199254740993"], ["startIndex", "Infinity"], ["startIndex", "0x10"], ["count", "1e400"], ["count", "abc"], ["count", "2.5"], ["count", "9007199254740993"], ["count", "NaN"]]) {
      it(`answers 400 invalidValue to ${name}=${value}`, async () => {
        const tenant = await freshTenant(server);
        expectScimError(await tenant.scim("GET", `/Users?${name}=${encodeURIComponent(value)}`), 400, "invalidValue");
      });
    }

    it("reads startIndex below 1 as 1 and a negative count as 0 (RFC 7644 §3.4.2.4), and caps a large count", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "dan");
      expect((await list(tenant, "/Users?startIndex=-5")).startIndex).to.equal(1);
      expect((await list(tenant, "/Users?startIndex=0")).Resources).to.have.length(1);
      expect((await list(tenant, "/Users?count=-5")).Resources).to.have.length(0);
      expect((await list(tenant, "/Users?count=9007199254740991")).itemsPerPage).to.equal(1);
      expect((await list(tenant, "/Users?startIndex=9007199254740991")).Resources).to.have.length(0);
    });
  });

  it("answers a cursor page of count=0 with no resources and no nextCursor [found by the fuzzer, seed 7]", async () => {
    const tenant = await freshTenant(server);
    await createGroup(tenant, "crew", [(await createUser(tenant, "eve")).id]);
    for (const count of ["0", "-2121247915"]) {
      const page = await list(tenant, `/Groups?sortBy=displayName&count=${count}&cursor=`);
      expect(page.Resources ?? []).to.have.length(0);
      expect(page).not.to.have.property("nextCursor");
      expect((await list(tenant, `/Users?count=${count}&cursor=`)).totalResults).to.equal(1);
    }
  });

  describe("attributes and excludedAttributes", () => {
    it(`answers 400 invalidValue to more than ${INPUT_LIMITS.maxAttributePaths} paths or ${INPUT_LIMITS.maxAttributesLength} characters, before writing`, async () => {
      const tenant = await freshTenant(server);
      const many = Array.from({ length: INPUT_LIMITS.maxAttributePaths + 1 }, (_unused, index) => `a${index}`).join(",");
      expectScimError(await tenant.scim("GET", `/Users?attributes=${many}`), 400, "invalidValue");
      expectScimError(await tenant.scim("GET", `/Groups?excludedAttributes=${"a".repeat(INPUT_LIMITS.maxAttributesLength + 1)}`), 400, "invalidValue");
      expectScimError(await tenant.scim("POST", `/Users?attributes=${many}`, { userName: "never" }), 400, "invalidValue");
      expect((await list(tenant, "/Users")).totalResults).to.equal(0);
    });
  });
});

describe("access_token in the query string", () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({}, { port: 0, adminToken: ADMIN_TOKEN, rateLimit: { perSecond: 0, burst: 0 } });
    const app = createApp(config, pino({ level: "info" }, sink));
    server = await new Promise((resolve) => {
      const listening = app.listen(0, () => resolve(listening));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers 400 on every endpoint, valid token or not, and never logs it [SCIM, admin, healthz, unknown]", async () => {
    const shared = await sharedTestServer();
    const tenant = await freshTenant(shared);
    const secret = "query-secret-0123456789abcdef";
    const paths = [
      `/scim/v2/Users?access_token=${tenant.token}`,
      `/scim/v2/Users?filter=userName%20pr&ACCESS_TOKEN=${secret}`,
      `/scim/v2/ServiceProviderConfig?access_token=${secret}`,
      `/scim/v2/Bulk?access%5Ftoken=${secret}`,
      `/admin/v1/tenants?access_token=${ADMIN_TOKEN}`,
      `/healthz?access_token=${secret}`,
      `/nowhere?access_token=${secret}`,
      `/scim/v2/Users?access_token[x]=${secret}`,
    ];
    for (const path of paths) {
      const result = await request(`${url}${path}`, "GET");
      expect(result.status, `${path}: ${JSON.stringify(result.body)}`).to.equal(400);
      expect(result.headers.get("www-authenticate") ?? "").to.match(/invalid_request/);
      expect(JSON.stringify(result.body)).not.to.include(secret);
    }
    const scim = await request(`${url}/scim/v2/Users?access_token=${secret}`, "GET", { token: tenant.token });
    expectScimError(scim, 400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = lines.join("");
    expect(log).to.include("/scim/v2/Users");
    expect(log).not.to.include(secret);
    expect(log).not.to.include(tenant.token);
    expect(log).not.to.include(ADMIN_TOKEN);
  });

  it("still serves a token in the Authorization header", async () => {
    const tenant = await freshTenant(await sharedTestServer());
    expect((await request(`${url}/scim/v2/Users`, "GET", { token: tenant.token })).status).to.equal(200);
  });
});
