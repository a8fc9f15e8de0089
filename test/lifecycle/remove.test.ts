import { expect } from "chai";
import { groupIdsOf } from "../../src/store/membership-store";
import { newTenant, startTestServer, userBody, type TestServer } from "../support/test-server";
import { addCredential, giveOwner } from "../support/admin";
import { createGroup, createUser, deactivatePatch, getUser, groupLeaderOf, listUsers, managedBy, managerOf, ledBy } from "../support/scim";
import { storedAuditOf, storedCredentialsOf, tokenIdOf } from "../support/store";
import { USER_MANAGER } from "../support/urns";

/** SPEC §4 Remove (seed 002): soft delete with every deactivation effect. */
describe("DELETE /Users/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("answers 204, then the user is gone from GET, lists and filters", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "Gone.User");
    const kept = await createUser(tenant, "kept");
    const res = await tenant.scim("DELETE", `/Users/${user.id}`);
    expect(res.status).to.equal(204);
    expect((await getUser(tenant, user.id)).status).to.equal(404);
    expect((await listUsers(tenant, 'userName eq "gone.user"')).totalResults).to.equal(0);
    expect((await listUsers(tenant, `id eq "${user.id}"`)).totalResults).to.equal(0);
    expect((await listUsers(tenant, "active eq false")).totalResults).to.equal(0);
    const all = await tenant.scim("GET", "/Users");
    expect(all.body.totalResults).to.equal(1);
    expect(all.body.Resources.map((u: any) => u.id)).to.deep.equal([kept.id]);
  });

  it("answers 404 to a second DELETE, and to PATCH and PUT of the removed user", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "twice");
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(204);
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(404);
    expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(404);
    expect((await tenant.scim("PUT", `/Users/${user.id}`, userBody("twice"))).status).to.equal(404);
    expect(await storedAuditOf(tenant, { action: "user.remove" })).to.have.length(1);
  });

  it("frees the userName for a new resource with a new id [case differs]", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "Rehire");
    expect((await tenant.scim("POST", "/Users", userBody("rehire"))).status).to.equal(409);
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(204);
    const again = await createUser(tenant, "REHIRE");
    expect(again.id).not.to.equal(user.id);
    expect(again.active).to.equal(true);
    const found = await listUsers(tenant, 'userName eq "rehire"');
    expect(found.Resources.map((u: any) => u.id)).to.deep.equal([again.id]);
  });

  it("drops group memberships whatever the policy", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "member");
    const stays = await createUser(tenant, "stays");
    const group = await createGroup(tenant, "Team", [user.id, stays.id]);
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(204);
    const members = (await tenant.scim("GET", `/Groups/${group.id}`)).body.members.map((m: any) => m.value);
    expect(members).to.deep.equal([stays.id]);
    expect(await groupIdsOf(tenant.id, user.id)).to.deep.equal([]);
    expect((await getUser(tenant, stays.id)).body.groups.map((g: any) => g.value)).to.deep.equal([group.id]);
  });

  it("revokes credentials, reassigns what the user led and audits user.remove", async () => {
    const tenant = await newTenant(server);
    const owner = await createUser(tenant, "owner");
    await giveOwner(tenant, owner.id);
    const leader = await createUser(tenant, "leader");
    const report = await createUser(tenant, "report", managedBy(leader.id));
    const group = await createGroup(tenant, "Led", [], ledBy(leader.id));
    await addCredential(tenant, leader.id, "session");
    await addCredential(tenant, leader.id, "apiKey");
    const res = await tenant.scim("DELETE", `/Users/${leader.id}`);
    expect(res.status).to.equal(204);
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(owner.id);
    expect(await groupLeaderOf(tenant, group.id)).to.equal(owner.id);
    expect((await storedCredentialsOf(tenant, leader.id)).every((c) => c.revokedAt instanceof Date)).to.equal(true);

    const removal = await storedAuditOf(tenant, { action: "user.remove" });
    expect(removal).to.have.length(1);
    expect(removal[0]).to.include({ target: leader.id, actor: await tokenIdOf(tenant), requestId: res.headers.get("x-request-id") });
    expect(removal[0].before).to.deep.equal({ active: true });
    expect(removal[0].after).to.deep.equal({ active: false });
    const reassigned = await storedAuditOf(tenant, { action: "reports.reassign" });
    expect(reassigned.map((e) => e.target)).to.have.members([report.id, group.id]);
    expect(reassigned.find((e) => e.target === report.id)!.after).to.deep.equal({ [USER_MANAGER]: { value: owner.id } });
    expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
  });

  it("removes an already deactivated user without a second deactivation", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "dormant");
    expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(204);
    expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(1);
    expect(await storedAuditOf(tenant, { action: "user.remove" })).to.have.length(1);
    expect(await storedAuditOf(tenant, { target: user.id })).to.have.length(3);
  });
});
