import { expect } from "chai";
import { newTenant, request, startTestServer, type TestServer } from "../support/test-server";
import { createUser, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { ENTERPRISE } from "../support/urns";
import { auditOf } from "../support/admin";

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

describe("what validators and identity providers send that is legal (IDP-TRAFFIC.md)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("takes Entra's feature flag ?aadOptscim062020 on every request as no parameter at all [GET, list, POST, PUT, PATCH, DELETE]", async () => {
    const tenant = await freshTenant(server);
    const flag = "aadOptscim062020";
    const created = await tenant.scim("POST", `/Users?${flag}`, { userName: "flagged.user" });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const lookup = await tenant.scim("GET", `/Users?${flag}&filter=${encodeURIComponent('userName eq "flagged.user"')}`);
    expect(lookup.status, JSON.stringify(lookup.body)).to.equal(200);
    expect(lookup.body.totalResults).to.equal(1);
    const unknown = await tenant.scim("GET", `/Users?${flag}&filter=${encodeURIComponent('userName eq "0f7c1c1e-5b64-4c1e-9a8e-3b1b5f5d2a10"')}`);
    expect(unknown.status).to.equal(200);
    expect(unknown.body).to.include({ totalResults: 0 });
    expect((await tenant.scim("GET", `/Users/${created.body.id}?${flag}`)).status).to.equal(200);
    const patched = await tenant.scim("PATCH", `/Users/${created.body.id}?${flag}`, patchOp({ op: "replace", path: "active", value: false }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body.active).to.equal(false);
    const replaced = await tenant.scim("PUT", `/Users/${created.body.id}?${flag}`, { userName: "flagged.user", active: true });
    expect(replaced.status, JSON.stringify(replaced.body)).to.equal(200);
    const group = await tenant.scim("POST", `/Groups?${flag}`, { displayName: "Flagged" });
    expect(group.status, JSON.stringify(group.body)).to.equal(201);
    const members = await tenant.scim("PATCH", `/Groups/${group.body.id}?${flag}`, patchOp({ op: "add", path: "members", value: [{ value: created.body.id }] }));
    expect(members.status, JSON.stringify(members.body)).to.equal(204);
    const groups = await tenant.scim("GET", `/Groups?${flag}&excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Flagged"')}`);
    expect(groups.status).to.equal(200);
    expect(groups.body.totalResults).to.equal(1);
    expect((await tenant.scim("DELETE", `/Groups/${group.body.id}?${flag}`)).status).to.equal(204);
    expect((await tenant.scim("DELETE", `/Users/${created.body.id}?${flag}`)).status).to.equal(204);
  });

  it("answers an empty Operations array as a no-op [Entra validator: user 200 with the user, group 204]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "noop.user");
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp());
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body).to.deep.equal((await tenant.scim("GET", `/Users/${user.id}`)).body);
    const group = await tenant.scim("POST", "/Groups", { displayName: "Noop", members: [{ value: user.id }] });
    const before = await tenant.scim("GET", `/Groups/${group.body.id}`);
    const groupPatched = await tenant.scim("PATCH", `/Groups/${group.body.id}`, patchOp());
    expect(groupPatched.status, JSON.stringify(groupPatched.body)).to.equal(204);
    const after = await tenant.scim("GET", `/Groups/${group.body.id}`);
    // nothing of the group changes (its version may count the request)
    expect({ ...after.body, meta: undefined }).to.deep.equal({ ...before.body, meta: undefined });
    expect(await auditOf(tenant, "action=group.update")).to.deep.equal([]);
  });

  it("takes Okta's path-less rename re-sent with a membership push, and replace members [] empties the group", async () => {
    const tenant = await freshTenant(server);
    const one = await createUser(tenant, "okta.one");
    const two = await createUser(tenant, "okta.two");
    const group = await tenant.scim("POST", "/Groups", { displayName: "Okta Push", members: [{ value: one.id }] });
    const push = await tenant.scim(
      "PATCH",
      `/Groups/${group.body.id}`,
      patchOp(
        { op: "replace", value: { id: group.body.id, displayName: "Okta Push" } },
        { op: "remove", path: `members[value eq "${one.id}"]` },
        { op: "add", path: "members", value: [{ value: two.id, display: "okta.two" }] },
      ),
    );
    expect(push.status, JSON.stringify(push.body)).to.equal(204);
    const read = await tenant.scim("GET", `/Groups/${group.body.id}`);
    expect(read.body.displayName).to.equal("Okta Push");
    expect(read.body.members.map((member: { value: string }) => member.value)).to.deep.equal([two.id]);
    const emptied = await tenant.scim("PATCH", `/Groups/${group.body.id}`, patchOp({ op: "replace", path: "members", value: [] }));
    expect(emptied.status, JSON.stringify(emptied.body)).to.equal(204);
    const after = await tenant.scim("GET", `/Groups/${group.body.id}`);
    expect(after.body.members ?? []).to.deep.equal([]);
  });

  it("answers a PATCH naming attributes or excludedAttributes with 200 and the projected resource (RFC 7644 §3.5.2)", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "patch.projected", { displayName: "Projected" });
    const group = await tenant.scim("POST", "/Groups", { displayName: "Projected Group" });
    const selected = await tenant.scim("PATCH", `/Groups/${group.body.id}?attributes=displayName`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }));
    expect(selected.status, JSON.stringify(selected.body)).to.equal(200);
    expect(selected.body).to.deep.equal({ schemas: group.body.schemas, id: group.body.id, displayName: "Projected Group" });
    expect(selected.headers.get("etag")).to.match(/^W\/"\d+"$/);
    const excluded = await tenant.scim("PATCH", `/Groups/${group.body.id}?excludedAttributes=members`, patchOp({ op: "replace", path: "displayName", value: "Renamed Group" }));
    expect(excluded.status).to.equal(200);
    expect(excluded.body.displayName).to.equal("Renamed Group");
    expect(excluded.body).to.not.have.property("members");
    expect(excluded.body.meta.version).to.equal(excluded.headers.get("etag"));
    const withMembers = await tenant.scim("PATCH", `/Groups/${group.body.id}?attributes=members`, patchOp());
    expect(withMembers.status).to.equal(200);
    expect(withMembers.body.members).to.have.length(1);
    expect(withMembers.body.members[0]).to.include({ value: user.id, display: "Projected", type: "User" });
    const userSelected = await tenant.scim("PATCH", `/Users/${user.id}?attributes=userName`, patchOp({ op: "replace", path: "title", value: "T" }));
    expect(userSelected.status).to.equal(200);
    expect(userSelected.body).to.deep.equal({ schemas: user.schemas, id: user.id, userName: "patch.projected" });
  });
});
