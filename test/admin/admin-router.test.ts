import { expect } from "chai";
import { ADMIN_TOKEN, newTenant, request, startTestServer, type TestServer } from "../support/test-server";
import { createAdministrator, removeAdministrator } from "../../src/services/administrators";
import { admin } from "../support/admin";

describe("/admin/v1 authentication and plumbing", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("returns 401 with {status, detail} when the Authorization header is missing", async () => {
    const answer = await admin(server, "GET", "/tenants", undefined, null);
    expect(answer.status).to.equal(401);
    expect(answer.body.status).to.equal(401);
    expect(answer.body.detail).to.be.a("string").and.not.equal("");
    expect(answer.headers.get("www-authenticate")).to.match(/^Bearer/);
  });

  it("returns 401 for a wrong admin token [same length]", async () => {
    const wrong = ADMIN_TOKEN.slice(0, -1) + (ADMIN_TOKEN.endsWith("x") ? "y" : "x");
    expect((await admin(server, "GET", "/tenants", undefined, wrong)).status).to.equal(401);
  });

  it("returns 401 for a wrong admin token [other length]", async () => {
    expect((await admin(server, "GET", "/tenants", undefined, "nope")).status).to.equal(401);
  });

  it("returns 401 for a tenant's SCIM token", async () => {
    const tenant = await newTenant(server);
    expect((await admin(server, "GET", "/tenants", undefined, tenant.token)).status).to.equal(401);
  });

  it("returns 401 for the admin token sent with another scheme", async () => {
    const answer = await request(`${server.url}/admin/v1/tenants`, "GET", { headers: { Authorization: `Basic ${ADMIN_TOKEN}` } });
    expect(answer.status).to.equal(401);
  });

  it("accepts the admin token with the scheme in any case", async () => {
    const answer = await request(`${server.url}/admin/v1/tenants`, "GET", { headers: { Authorization: `bearer ${ADMIN_TOKEN}` } });
    expect(answer.status).to.equal(200);
  });

  it("returns 404 for an unknown tenant on every tenant route", async () => {
    const routes: Array<[string, string, unknown?]> = [
      ["GET", "/policy"],
      ["PUT", "/policy", {}],
      ["GET", "/owner"],
      ["PUT", "/owner", { userId: null }],
      ["GET", "/tokens"],
      ["POST", "/tokens", {}],
      ["DELETE", "/tokens/x"],
      ["GET", "/audit"],
      ["GET", "/seats"],
      ["POST", "/users/x/erase"],
      ["GET", "/users/x/access"],
      ["POST", "/users/x/sessions", {}],
      ["POST", "/users/x/api-keys", {}],
      ["GET", "/users/x/credentials"],
    ];
    for (const [method, path, body] of routes) {
      const answer = await admin(server, method, `/tenants/no-such-tenant${path}`, body);
      expect(answer.status, `${method} ${path}`).to.equal(404);
      expect(answer.body).to.include({ status: 404 });
      expect(answer.body.detail).to.match(/no-such-tenant/);
    }
  });

  it("returns 404 {status, detail} for an unknown admin path", async () => {
    const answer = await admin(server, "GET", "/nothing-here");
    expect(answer.status).to.equal(404);
    expect(answer.body.status).to.equal(404);
  });

  it("returns 400 for a body that is not JSON", async () => {
    const answer = await admin(server, "POST", "/tenants", "{not json");
    expect(answer.status).to.equal(400);
    expect(answer.body.status).to.equal(400);
    expect(answer.body.errors).to.deep.equal([]);
  });

  it("parses a JSON body sent without a JSON Content-Type [curl -d]", async () => {
    const id = `plain-${Date.now()}`;
    const answer = await request(`${server.url}/admin/v1/tenants`, "POST", { token: ADMIN_TOKEN, body: JSON.stringify({ id }), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(answer.status).to.equal(201);
    expect(answer.body).to.deep.equal({ id, name: id });
  });

  it("keeps an incoming X-Request-Id and answers with it", async () => {
    const answer = await request(`${server.url}/admin/v1/tenants`, "GET", { token: ADMIN_TOKEN, headers: { "X-Request-Id": "admin-req-1" } });
    expect(answer.headers.get("x-request-id")).to.equal("admin-req-1");
  });
});

describe("/admin/v1 without ROSTER_ADMIN_TOKEN", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: undefined });
  });
  after(async () => server.close());

  it("returns 401 on every route, whatever token is sent", async () => {
    for (const token of [ADMIN_TOKEN, null, ""]) {
      const answer = await admin(server, "GET", "/tenants", undefined, token);
      expect(answer.status).to.equal(401);
      expect(answer.body.detail).to.match(/ROSTER_ADMIN_TOKEN/);
    }
  });
});

describe("/admin/v1 limits", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimit: { perSecond: 1, burst: 3 }, maxPayloadSize: 2048 });
  });
  after(async () => server.close());

  it("returns 413 for a body above the maximum payload size", async () => {
    const answer = await admin(server, "POST", "/tenants", { id: "big", name: "x".repeat(4096) });
    expect(answer.status).to.equal(413);
    expect(answer.body.status).to.equal(413);
  });

  it("returns 429 with Retry-After once the admin token's burst is spent", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const answer = await admin(server, "GET", "/tenants");
      statuses.push(answer.status);
      if (answer.status === 429) {
        retryAfter = answer.headers.get("retry-after");
        expect(answer.body).to.include({ status: 429 });
      }
    }
    expect(statuses[0]).to.equal(200);
    expect(statuses).to.include(429);
    expect(Number(retryAfter)).to.be.at.least(1);
  });

  it("gives each administrator its own bucket: root's spent burst does not limit a named administrator", async () => {
    const named = await createAdministrator({ name: "Own Bucket", role: "viewer", tenants: ["*"] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await admin(server, "GET", "/me")).status);
      expect(statuses).to.include(429);
      expect((await admin(server, "GET", "/me", undefined, named.token)).status).to.equal(200);
    } finally {
      await removeAdministrator(named.id);
    }
  });

  it("returns 429 to an address that keeps guessing the admin token [unauthenticated]", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await admin(server, "GET", "/tenants", undefined, `guess-${i}`)).status);
    expect(statuses).to.include(401);
    expect(statuses).to.include(429);
  });

});
