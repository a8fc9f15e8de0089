import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, expectScimError, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { ROSTER_GROUP } from "../support/urns";

/** A tenant with three users and a group holding all three. */
async function groupOfThree(server: TestServer): Promise<{ tenant: TestTenant; group: any; users: any[] }> {
  const tenant = await freshTenant(server);
  const users = await Promise.all(["m1", "m2", "m3"].map((name) => createUser(tenant, name)));
  const group = await createGroup(tenant, "Three", users.map((user) => user.id));
  return { tenant, group, users };
}

function ids(users: Array<{ id: string }>): string[] {
  return users.map((user) => user.id).sort();
}

describe("PATCH /Groups/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("renames a group with a path-less replace carrying id, keeping its members [Okta]", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", value: { id: group.id, displayName: "Renamed" } }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    const read = await tenant.scim("GET", `/Groups/${group.id}`);
    expect(read.body.displayName).to.equal("Renamed");
    expect(read.body.id).to.equal(group.id);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids(users));
  });

  it("removes by filter and adds in one request [Okta membership update]", async () => {
    const tenant = await freshTenant(server);
    const [one, two] = await Promise.all([createUser(tenant, "one"), createUser(tenant, "two")]);
    const group = await createGroup(tenant, "Okta", [one.id]);
    const patched = await tenant.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: `members[value eq "${one.id}"]` }, { op: "add", path: "members", value: [{ value: two.id, display: "two" }] }),
    );
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal([two.id]);
  });

  it("adds a member with a null $ref [Entra]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.member");
    const group = await createGroup(tenant, "Entra");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: user.id }] }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal([user.id]);
  });

  it("removes only the members listed in value [Entra default mode]", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "Remove", path: "members", value: [{ value: users[1].id }] }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids([users[0], users[2]]));
  });

  it("removes one member by a value filter [Entra flagged mode]", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${users[0].id}"]` }));
    expect(patched.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids([users[1], users[2]]));
  });

  it("replaces the whole member list [Okta full replace]", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const newcomer = await createUser(tenant, "newcomer");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "members", value: [{ value: newcomer.id }, { value: users[0].id }] }));
    expect(patched.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids([newcomer, users[0]]));
  });

  it("empties the group on a remove of members with no value", async () => {
    const { tenant, group } = await groupOfThree(server);
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "remove", path: "members" }));
    expect(patched.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal([]);
  });

  it("adds members through a path-less value", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "pathless");
    const group = await createGroup(tenant, "Pathless");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", value: { members: [{ value: user.id }] } }));
    expect(patched.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal([user.id]);
  });

  it("adds a member who is already one without duplicating it", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: users[0].id }] }));
    expect(patched.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids(users));
  });

  it("sets the Roster-extension manager of a group", async () => {
    const tenant = await freshTenant(server);
    const leader = await createUser(tenant, "leader");
    const group = await createGroup(tenant, "Led");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: `${ROSTER_GROUP}:manager`, value: { value: leader.id } }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(204);
    const read = await tenant.scim("GET", `/Groups/${group.id}`);
    expect(read.body[ROSTER_GROUP].manager.value).to.equal(leader.id);
  });

  it("answers 400 invalidValue for a member who is not a user of the tenant and changes nothing", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const result = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: "no-such-user" }] }));
    expectScimError(result, 400, "invalidValue");
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids(users));
  });

  it("answers 400 invalidValue and keeps the old name when a rename comes with an unknown member [Okta rename + membership]", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const result = await tenant.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "replace", value: { id: group.id, displayName: "Renamed" } }, { op: "add", path: "members", value: [{ value: "no-such-user" }] }),
    );
    expectScimError(result, 400, "invalidValue");
    const read = await tenant.scim("GET", `/Groups/${group.id}`);
    expect(read.body.displayName).to.equal("Three");
    expect(read.body.meta.version).to.equal(group.meta.version);
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids(users));
  });

  it("answers 400 invalidSyntax for an unknown op and changes nothing", async () => {
    const { tenant, group, users } = await groupOfThree(server);
    const result = await tenant.scim(
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: "members" }, { op: "merge", path: "displayName", value: "x" }),
    );
    expectScimError(result, 400, "invalidSyntax");
    expect(await memberIds(tenant, group.id)).to.deep.equal(ids(users));
    const read = await tenant.scim("GET", `/Groups/${group.id}`);
    expect(read.body.displayName).to.equal("Three");
    expect(read.body.meta.version).to.equal(group.meta.version);
  });

  it("answers 409 uniqueness when renaming onto another group's displayName [case differs]", async () => {
    const tenant = await freshTenant(server);
    await createGroup(tenant, "Taken");
    const group = await createGroup(tenant, "Free");
    const result = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: "TAKEN" }));
    expectScimError(result, 409, "uniqueness");
  });

  it("succeeds when the PATCH changes nothing", async () => {
    const tenant = await freshTenant(server);
    const group = await createGroup(tenant, "Same");
    const patched = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: "Same" }));
    expect(patched.status).to.be.oneOf([200, 204]);
    const read = await tenant.scim("GET", `/Groups/${group.id}`);
    expect(read.body.displayName).to.equal("Same");
  });

  it("answers 404 for an unknown group", async () => {
    const tenant = await freshTenant(server);
    expectScimError(await tenant.scim("PATCH", "/Groups/no-such-group", patchOp({ op: "add", path: "members", value: [] })), 404);
    expectScimError(await tenant.scim("PATCH", "/Groups/no-such-group", patchOp({ op: "replace", path: "displayName", value: "x" })), 404);
  });
});
