import { expect } from "chai";
import { userBody, type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP } from "../support/urns";

/** Tenant A with a user in a group, and tenant B with its own group. */
async function twoTenants(server: TestServer): Promise<{ a: TestTenant; b: TestTenant; userA: any; groupA: any; groupB: any }> {
  const [a, b] = await Promise.all([freshTenant(server, "a"), freshTenant(server, "b")]);
  const userA = await createUser(a, "alice.a", { externalId: "ext-a" });
  const groupA = await createGroup(a, "Group A", [userA.id]);
  const groupB = await createGroup(b, "Group B");
  return { a, b, userA, groupA, groupB };
}

describe("tenant isolation", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("does not let tenant B read tenant A's user or group [404]", async () => {
    const { b, userA, groupA } = await twoTenants(server);
    expectScimError(await b.scim("GET", `/Users/${userA.id}`), 404);
    expectScimError(await b.scim("GET", `/Groups/${groupA.id}`), 404);
  });

  it("does not show tenant A's resources in tenant B's lists and filters", async () => {
    const { b, userA, groupA } = await twoTenants(server);
    const users = await list(b, "/Users");
    expect(users.totalResults).to.equal(0);
    for (const filter of ['userName eq "alice.a"', `id eq "${userA.id}"`, 'externalId eq "ext-a"', "userName pr"]) {
      expect((await list(b, `/Users${filterQuery(filter)}`)).totalResults, filter).to.equal(0);
    }
    const groups = await list(b, `/Groups${filterQuery('displayName eq "Group A"')}`);
    expect(groups.totalResults).to.equal(0);
    expect((await list(b, `/Groups${filterQuery(`members.value eq "${userA.id}"`)}`)).totalResults).to.equal(0);
    expect((await list(b, "/Groups")).Resources.map((group: { id: string }) => group.id)).not.to.include(groupA.id);
  });

  it("does not let tenant B patch, replace or delete tenant A's user", async () => {
    const { a, b, userA } = await twoTenants(server);
    expectScimError(await b.scim("PATCH", `/Users/${userA.id}`, patchOp({ op: "replace", value: { active: false } })), 404);
    expectScimError(await b.scim("PUT", `/Users/${userA.id}`, userBody("alice.a", { displayName: "Taken over" })), 404);
    expectScimError(await b.scim("DELETE", `/Users/${userA.id}`), 404);
    const read = await a.scim("GET", `/Users/${userA.id}`);
    expect(read.status).to.equal(200);
    expect(read.body.active).to.equal(true);
    expect(read.body.meta.version).to.equal(userA.meta.version);
  });

  it("does not let tenant B patch, replace or delete tenant A's group", async () => {
    const { a, b, userA, groupA } = await twoTenants(server);
    expectScimError(await b.scim("PATCH", `/Groups/${groupA.id}`, patchOp({ op: "remove", path: "members" })), 404);
    expectScimError(await b.scim("PATCH", `/Groups/${groupA.id}`, patchOp({ op: "replace", path: "displayName", value: "Mine" })), 404);
    expectScimError(await b.scim("PUT", `/Groups/${groupA.id}`, { schemas: [CORE_GROUP], displayName: "Mine" }), 404);
    expectScimError(await b.scim("DELETE", `/Groups/${groupA.id}`), 404);
    const read = await a.scim("GET", `/Groups/${groupA.id}`);
    expect(read.body.displayName).to.equal("Group A");
    expect(await memberIds(a, groupA.id)).to.deep.equal([userA.id]);
  });

  it("does not let tenant B add tenant A's users to its groups [PATCH, POST, PUT]", async () => {
    const { b, userA, groupB } = await twoTenants(server);
    expectScimError(await b.scim("PATCH", `/Groups/${groupB.id}`, patchOp({ op: "add", path: "members", value: [{ value: userA.id }] })), 400, "invalidValue");
    expectScimError(await b.scim("PATCH", `/Groups/${groupB.id}`, patchOp({ op: "replace", path: "members", value: [{ value: userA.id }] })), 400, "invalidValue");
    expectScimError(await b.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: "Stolen", members: [{ value: userA.id }] }), 400, "invalidValue");
    expectScimError(await b.scim("PUT", `/Groups/${groupB.id}`, { schemas: [CORE_GROUP], displayName: "Group B", members: [{ value: userA.id }] }), 400, "invalidValue");
    expect(await memberIds(b, groupB.id)).to.deep.equal([]);
    expect((await list(b, "/Groups")).totalResults).to.equal(1);
  });

  it("keeps tenant A's offboarding out of tenant B when B names A's user as a manager", async () => {
    const { a, b, userA } = await twoTenants(server);
    const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    // manager ids are kept as sent (Okta HR ids): in B, A's id is only an opaque string
    const created = await b.scim("POST", "/Users", userBody("bob.b", { [enterprise]: { manager: { value: userA.id } } }));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body[enterprise].manager).to.deep.equal({ value: userA.id });
    const deactivated = await a.scim("PATCH", `/Users/${userA.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(deactivated.status, JSON.stringify(deactivated.body)).to.equal(200);
    // A's leaver has no reports in A, and B's user is never reassigned by A's cascade
    const read = await b.scim("GET", `/Users/${created.body.id}`);
    expect(read.body[enterprise].manager).to.deep.equal({ value: userA.id });
    expect(read.body.meta.version).to.equal(created.body.meta.version);
  });
});
