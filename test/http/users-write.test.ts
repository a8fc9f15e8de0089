import { expect } from "chai";
import { UserModel } from "../../src/store/models";
import { userBody, type TestServer } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_USER, ENTERPRISE } from "../support/urns";

const PASSWORD = "1mz050nq";

describe("POST /Users", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("creates a user from Okta's body, ignoring groups and hiding the password", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim(
      "POST",
      "/Users",
      {
        schemas: [CORE_USER],
        userName: "test.user@okta.local",
        name: { givenName: "Test", familyName: "User" },
        emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
        displayName: "Test User",
        locale: "en-US",
        externalId: "00ujl29u0le5T6Aj10h7",
        groups: [],
        password: PASSWORD,
        active: true,
      },
      { "Content-Type": "application/json", "User-Agent": "Okta SCIM Client 1.0.0" },
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.headers.get("content-type")).to.match(/^application\/scim\+json/);
    expect(created.headers.get("location")).to.equal(created.body.meta.location);
    expect(created.body.meta.location).to.match(new RegExp(`/scim/v2/Users/${created.body.id}$`));
    expect(created.body).to.include({ userName: "test.user@okta.local", externalId: "00ujl29u0le5T6Aj10h7", active: true, locale: "en-US" });
    expect(JSON.stringify(created.body)).not.to.include(PASSWORD);
    expect(created.body).not.to.have.property("password");
    const stored = await UserModel.collection.findOne({ _id: created.body.id } as never);
    expect(stored?.passwordHash).to.be.a("string").and.not.include(PASSWORD);
    expect(JSON.stringify(stored)).not.to.include(PASSWORD);
  });

  it("creates a user from Entra's body with read-only meta, null attributes and \"active\":\"True\"", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", {
      schemas: [CORE_USER, ENTERPRISE],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee",
      active: "True",
      emails: [{ primary: true, type: "work", value: "Test_User_ab6490ee@testuser.com" }],
      meta: { resourceType: "User" },
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      roles: [],
      phoneNumbers: null,
      title: null,
      [ENTERPRISE]: { department: null, employeeNumber: "42" },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.active).to.equal(true);
    expect(created.body).not.to.have.property("phoneNumbers");
    expect(created.body).not.to.have.property("title");
    expect(created.body[ENTERPRISE]).to.deep.equal({ employeeNumber: "42" });
  });

  it("accepts attribute names in other cases [\"Primary\", \"UserName\"]", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], UserName: "cased.user", emails: [{ Primary: true, value: "c@x.example", type: "work" }] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.userName).to.equal("cased.user");
    expect(created.body.emails[0].primary).to.equal(true);
  });

  it("ignores read-only id, meta and groups in the body", async () => {
    const tenant = await freshTenant(server);
    const group = await createGroup(tenant, "Not Joined");
    const created = await tenant.scim(
      "POST",
      "/Users",
      userBody("readonly.user", { id: "forged-id", meta: { resourceType: "User", created: "2000-01-01T00:00:00Z", version: 'W/"99"' }, groups: [{ value: group.id }] }),
    );
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.id).not.to.equal("forged-id");
    expect(created.body.meta.created).not.to.equal("2000-01-01T00:00:00Z");
    expect(created.body.meta.version).to.equal('W/"1"');
    expect(created.body.groups ?? []).to.deep.equal([]);
    expect(await memberIds(tenant, group.id)).to.deep.equal([]);
    expectScimError(await tenant.scim("GET", "/Users/forged-id"), 404);
  });

  it("creates an inactive user when asked [active false]", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "inactive.user", { active: false });
    expect(created.active).to.equal(false);
  });
});

describe("PUT /Users/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("replaces the whole user from Okta's GET-then-PUT, with id, groups, meta and password", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "put.user", { title: "Before", displayName: "Before" });
    const group = await createGroup(tenant, "Member Of", [created.id]);
    const read = await tenant.scim("GET", `/Users/${created.id}`);
    const { title: _title, ...withoutTitle } = read.body;
    const body = { ...withoutTitle, displayName: "After", password: PASSWORD };
    const replaced = await tenant.scim("PUT", `/Users/${created.id}`, body);
    expect(replaced.status, JSON.stringify(replaced.body)).to.equal(200);
    expect(replaced.body.displayName).to.equal("After");
    expect(replaced.body).not.to.have.property("title");
    expect(replaced.body).not.to.have.property("password");
    expect(replaced.body.groups.map((membership: { value: string }) => membership.value)).to.deep.equal([group.id]);
    expect(replaced.body.meta.version).to.equal('W/"2"');
    expect(JSON.stringify(replaced.body)).not.to.include(PASSWORD);
  });

  it("never returns the password on any read [GET, list, filter, PATCH]", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "secret.user", { password: PASSWORD });
    const responses = [
      await tenant.scim("GET", `/Users/${created.id}`),
      await tenant.scim("GET", "/Users"),
      await tenant.scim("GET", `/Users${filterQuery('userName eq "secret.user"')}`),
      await tenant.scim("GET", `/Users?attributes=password,userName`),
      await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "x" })),
      await tenant.scim("PUT", `/Users/${created.id}`, userBody("secret.user", { password: PASSWORD })),
    ];
    for (const response of responses) {
      expect(response.status).to.be.oneOf([200]);
      expect(JSON.stringify(response.body)).not.to.include(PASSWORD);
      expect(JSON.stringify(response.body)).not.to.match(/"password"|passwordHash|scrypt/);
    }
  });

  it("deactivates with active false in the PUT [Okta wizard apps]", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "put.user");
    const replaced = await tenant.scim("PUT", `/Users/${created.id}`, userBody("put.user", { active: false }));
    expect(replaced.status).to.equal(200);
    expect(replaced.body.active).to.equal(false);
    const listed = await list(tenant, `/Users${filterQuery('userName eq "put.user"')}`);
    expect(listed.Resources[0].active).to.equal(false);
  });

  it("keeps the id of the URL whatever id the body carries", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "put.user");
    const replaced = await tenant.scim("PUT", `/Users/${created.id}`, userBody("put.user", { id: "other-id", displayName: "Kept" }));
    expect(replaced.status).to.equal(200);
    expect(replaced.body.id).to.equal(created.id);
    expectScimError(await tenant.scim("GET", "/Users/other-id"), 404);
  });

  it("answers 404 for an unknown user", async () => {
    const tenant = await freshTenant(server);
    expectScimError(await tenant.scim("PUT", "/Users/no-such-user", userBody("ghost")), 404);
  });
});

describe("DELETE /Users/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 204, then 404 on GET and on a second DELETE, and lists no longer show the user", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "gone.user");
    const removed = await tenant.scim("DELETE", `/Users/${created.id}`);
    expect(removed.status).to.equal(204);
    expect(removed.body).to.equal(undefined);
    expectScimError(await tenant.scim("GET", `/Users/${created.id}`), 404);
    expectScimError(await tenant.scim("DELETE", `/Users/${created.id}`), 404);
    expect((await list(tenant, "/Users")).totalResults).to.equal(0);
  });
});

describe("PUT /Groups/:id and DELETE /Groups/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("replaces a group with its members [wizard apps PUT the whole group]", async () => {
    const tenant = await freshTenant(server);
    const [one, two] = await Promise.all([createUser(tenant, "one"), createUser(tenant, "two")]);
    const group = await createGroup(tenant, "Put Group", [one.id]);
    const replaced = await tenant.scim("PUT", `/Groups/${group.id}`, { ...group, displayName: "Put Group 2", members: [{ value: two.id }] });
    expect(replaced.status, JSON.stringify(replaced.body)).to.equal(200);
    expect(replaced.body.displayName).to.equal("Put Group 2");
    expect(replaced.headers.get("etag")).to.equal(replaced.body.meta.version);
    expect(await memberIds(tenant, group.id)).to.deep.equal([two.id]);
  });

  it("deletes a group and its memberships and leaves the users alone", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "stays");
    const group = await createGroup(tenant, "Doomed", [user.id]);
    expect((await tenant.scim("DELETE", `/Groups/${group.id}`)).status).to.equal(204);
    expectScimError(await tenant.scim("GET", `/Groups/${group.id}`), 404);
    const read = await tenant.scim("GET", `/Users/${user.id}`);
    expect(read.status).to.equal(200);
    expect(read.body.groups ?? []).to.deep.equal([]);
    expectScimError(await tenant.scim("DELETE", `/Groups/${group.id}`), 404);
  });
});
