import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, expectScimError, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { CORE_GROUP, CORE_USER, ENTERPRISE, ROSTER_GROUP } from "../support/urns";

async function read(tenant: TestTenant, path: string): Promise<any> {
  const result = await tenant.scim("GET", path);
  expect(result.status, JSON.stringify(result.body)).to.equal(200);
  return result.body;
}

async function patchUser(tenant: TestTenant, id: string, ...operations: Array<Record<string, unknown>>): Promise<any> {
  const patched = await tenant.scim("PATCH", `/Users/${id}`, patchOp(...operations));
  expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
  return patched.body;
}

describe("PATCH replace of a complex attribute (RFC 7644 §3.5.2.3)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("leaves unspecified sub-attributes unchanged [path name]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "name.path", { name: { givenName: "Old", familyName: "Family", middleName: "M" } });
    const patched = await patchUser(tenant, user.id, { op: "replace", path: "name", value: { givenName: "A" } });
    expect(patched.name).to.deep.equal({ givenName: "A", familyName: "Family", middleName: "M" });
    expect((await read(tenant, `/Users/${user.id}`)).name).to.deep.equal({ givenName: "A", familyName: "Family", middleName: "M" });
  });

  it("leaves unspecified sub-attributes unchanged [path-less name]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "name.pathless", { name: { givenName: "Old", familyName: "Family" } });
    const patched = await patchUser(tenant, user.id, { op: "replace", value: { name: { givenName: "A" } } });
    expect(patched.name).to.deep.equal({ givenName: "A", familyName: "Family" });
  });

  it("leaves unspecified sub-attributes unchanged [fully qualified path name.givenName]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "name.qualified", { name: { givenName: "Old", familyName: "Family" } });
    const patched = await patchUser(tenant, user.id, { op: "replace", path: `${CORE_USER}:name.givenName`, value: "A" });
    expect(patched.name).to.deep.equal({ givenName: "A", familyName: "Family" });
  });

  it("replaces the enterprise manager's value and keeps the other enterprise attributes [path manager]", async () => {
    const tenant = await freshTenant(server);
    const boss = await createUser(tenant, "boss.one");
    const next = await createUser(tenant, "boss.two");
    const user = await createUser(tenant, "report", { [ENTERPRISE]: { department: "Sales", manager: { value: boss.id } } });
    const patched = await patchUser(tenant, user.id, { op: "replace", path: `${ENTERPRISE}:manager`, value: { value: next.id } });
    expect(patched[ENTERPRISE].department).to.equal("Sales");
    expect(patched[ENTERPRISE].manager.value).to.equal(next.id);
  });

  it("sets the enterprise manager on a user without the extension [path manager.value]", async () => {
    const tenant = await freshTenant(server);
    const boss = await createUser(tenant, "boss");
    const user = await createUser(tenant, "plain.report");
    const patched = await patchUser(tenant, user.id, { op: "replace", path: `${ENTERPRISE}:manager.value`, value: boss.id });
    expect(patched[ENTERPRISE].manager.value).to.equal(boss.id);
  });

  it("replaces the Roster group manager's value [path manager]", async () => {
    const tenant = await freshTenant(server);
    const lead = await createUser(tenant, "lead");
    const group = await createGroup(tenant, "Team", [], { schemas: [CORE_GROUP, ROSTER_GROUP], [ROSTER_GROUP]: { manager: { value: lead.id } } });
    const next = await createUser(tenant, "lead.two");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: `${ROSTER_GROUP}:manager`, value: { value: next.id } }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    expect((await read(tenant, `/Groups/${group.id}`))[ROSTER_GROUP].manager.value).to.equal(next.id);
  });

  it("adds to a complex attribute by merging (RFC 7644 §3.5.2.1) [add name]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "name.add", { name: { givenName: "Old", familyName: "Family" } });
    const patched = await patchUser(tenant, user.id, { op: "add", path: "name", value: { middleName: "M" } });
    expect(patched.name).to.deep.equal({ givenName: "Old", familyName: "Family", middleName: "M" });
  });
});

describe("PATCH with an empty Operations array [Entra validator]", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 200 with the unchanged user, and 204 for a group", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "validator.user");
    const patched = await patchUser(tenant, user.id);
    expect(patched.id).to.equal(user.id);
    expect(patched.meta.version).to.equal(user.meta.version);
    const group = await createGroup(tenant, "Validator", [user.id]);
    const result = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp());
    expect(result.status, JSON.stringify(result.body)).to.equal(204);
    expect((await read(tenant, `/Groups/${group.id}`)).members).to.have.length(1);
  });
});

describe("unknown attribute names in requests [policy unknownAttributes: reject]", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("refuses an unknown sub-attribute of a multi-valued attribute, naming it, and stores nothing [POST addresses.street]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const result = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], userName: "addr.user", addresses: [{ street: "1 Main St", locality: "Town" }] });
    expectScimError(result, 400, "invalidSyntax");
    expect(result.body.detail).to.include("'addresses.street'");
    expect((await read(tenant, "/Users")).totalResults).to.equal(0);
  });

  it("refuses an unknown sub-attribute in a path-less value, naming it, and changes nothing [PATCH name.nickname]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const user = await createUser(tenant, "nick.user");
    const result = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { name: { nickname: "x" }, title: "T" } }));
    expectScimError(result, 400, "invalidSyntax");
    expect(result.body.detail).to.include("'name.nickname'");
    const after = await read(tenant, `/Users/${user.id}`);
    expect(after.title).to.equal(undefined);
    expect(after.meta.version).to.equal(user.meta.version);
  });

  it("refuses an unknown sub-attribute with a path, naming it [PATCH addresses]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const user = await createUser(tenant, "addr.patch");
    const result = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: "addresses", value: [{ street: "1 Main St" }] }));
    expectScimError(result, 400, "invalidSyntax");
    expect(result.body.detail).to.include("'addresses.street'");
  });

  it("accepts fully qualified paths (RFC 7644 §3.10) [userName path, path-less key, group members, POST key]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "qualified.user");
    expect((await patchUser(tenant, user.id, { op: "replace", path: `${CORE_USER}:userName`, value: "renamed.user" })).userName).to.equal("renamed.user");
    expect((await patchUser(tenant, user.id, { op: "replace", value: { [`${CORE_USER}:displayName`]: "Shown" } })).displayName).to.equal("Shown");
    const group = await createGroup(tenant, "Qualified");
    const added = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: `${CORE_GROUP}:members`, value: [{ value: user.id }] }));
    expect(added.status, JSON.stringify(added.body)).to.equal(204);
    expect((await read(tenant, `/Groups/${group.id}`)).members.map((member: { value: string }) => member.value)).to.deep.equal([user.id]);
    const created = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], [`${CORE_USER}:userName`]: "posted.qualified" });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.userName).to.equal("posted.qualified");
  });
});
