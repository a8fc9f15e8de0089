import { expect } from "chai";
import { newTenant, request, startTestServer, type TestServer } from "../support/test-server";
import { createUser, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { ENTERPRISE } from "../support/urns";

describe("attribute values identity providers send (RFC 7643 §2.3.1)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("accepts a roles type label outside any canonical list [Entra app roles]", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", {
      userName: "roles.user",
      roles: [{ primary: "True", type: "WindowsAzureActiveDirectoryRole", value: "Admin" }],
      emails: [{ value: "roles.user@example.com", type: "Work" }],
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.roles[0]).to.include({ type: "WindowsAzureActiveDirectoryRole", value: "Admin", primary: true });
  });

  it("accepts an extension object PATCHed whole with its own schemas list", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "ext.whole");
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: ENTERPRISE, value: { schemas: [ENTERPRISE], employeeNumber: "42" } }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body[ENTERPRISE].employeeNumber).to.equal("42");
  });
});

describe("behind a TLS-terminating proxy (ROSTER_TRUST_PROXY)", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ trustProxy: "loopback" });
  });
  after(async () => server.close());

  it("builds meta.location from X-Forwarded-Proto and Host", async () => {
    const tenant = await newTenant(server);
    const created = await request(`${server.url}/scim/v2/Users`, "POST", {
      token: tenant.token,
      body: { userName: "proxied.user" },
      headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "roster.example.com" },
    });
    expect(created.status).to.equal(201);
    expect(created.body.meta.location).to.match(/^https:\/\/roster\.example\.com\/scim\/v2\/Users\//);
  });
});

describe("discovery endpoints (RFC 7644 §4)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  for (const path of ["/ServiceProviderConfig", "/Schemas", "/ResourceTypes"]) {
    it(`answers 405 with Allow: GET to a write [${path}]`, async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("POST", path, {});
      expect(result.status).to.equal(405);
      expect(result.headers.get("allow")).to.equal("GET");
      expect(result.body.schemas).to.deep.equal(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    });
  }
});

describe("PATCH remove of a whole extension (RFC 7644 §3.5.2.2)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("removes every attribute of the enterprise extension", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "ext.removed", { [ENTERPRISE]: { department: "Sales", employeeNumber: "7" } });
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "remove", path: ENTERPRISE }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body).not.to.have.property(ENTERPRISE);
    expect((await tenant.scim("GET", `/Users/${user.id}`)).body).not.to.have.property(ENTERPRISE);
  });
});
