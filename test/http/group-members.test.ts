import { expect } from "chai";
import type { TestServer, TestTenant } from "../support/test-server";
import { createGroup, createUser, list, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";

interface Member {
  value: string;
  display?: string;
  type?: string;
  $ref?: string;
}

/** Every member as RFC 7643 §4.2 describes it: the user's current name, its type and its own location. */
async function expectDetailedMembers(tenant: TestTenant, members: Member[], expectedIds: string[]): Promise<void> {
  expect(members.map((member) => member.value).sort()).to.deep.equal([...expectedIds].sort());
  for (const member of members) {
    const user = await tenant.scim("GET", `/Users/${member.value}`);
    expect(user.status).to.equal(200);
    expect(member.type).to.equal("User");
    expect(member.display).to.equal(user.body.displayName || user.body.userName);
    // absolute, built from this request's origin as meta.location is
    expect(member.$ref).to.equal(user.body.meta.location);
  }
}

describe("group members' display, type and $ref (RFC 7643 §4.2)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("gives every member its current display, type User and $ref on GET by id, in lists, on POST and PUT", async () => {
    const tenant = await freshTenant(server);
    const named = await createUser(tenant, "named.member", { displayName: "Named Member" });
    const plain = await createUser(tenant, "plain.member", { displayName: "" });
    const created = await createGroup(tenant, "Detailed", [named.id, plain.id]);
    await expectDetailedMembers(tenant, created.members, [named.id, plain.id]);

    // a rename shows at once: display is read, not stored with the membership
    const renamed = await tenant.scim("PATCH", `/Users/${named.id}`, patchOp({ op: "replace", path: "displayName", value: "Renamed Member" }));
    expect(renamed.status).to.equal(200);
    const read = await tenant.scim("GET", `/Groups/${created.id}`);
    expect(read.status).to.equal(200);
    await expectDetailedMembers(tenant, read.body.members, [named.id, plain.id]);
    expect(read.body.members.find((member: Member) => member.value === named.id).display).to.equal("Renamed Member");

    await createGroup(tenant, "Second", [plain.id]);
    const listed = await list(tenant, "/Groups?count=10");
    expect(listed.Resources).to.have.length(2);
    for (const group of listed.Resources) await expectDetailedMembers(tenant, group.members, group.displayName === "Detailed" ? [named.id, plain.id] : [plain.id]);

    const replaced = await tenant.scim("PUT", `/Groups/${created.id}`, { schemas: created.schemas, displayName: "Detailed", members: [{ value: plain.id }] });
    expect(replaced.status).to.equal(200);
    await expectDetailedMembers(tenant, replaced.body.members, [plain.id]);
  });

  it("keeps leaving members out under excludedAttributes=members, by id and in lists", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "hidden.member");
    const group = await createGroup(tenant, "Hidden", [user.id]);
    const read = await tenant.scim("GET", `/Groups/${group.id}?excludedAttributes=members`);
    expect(read.body).to.not.have.property("members");
    const listed = await list(tenant, "/Groups?excludedAttributes=members");
    expect(listed.Resources[0]).to.not.have.property("members");
    const selected = await list(tenant, "/Groups?attributes=members.display");
    expect(selected.Resources[0].members).to.deep.equal([{ display: "hidden.member" }]);
  });
});
