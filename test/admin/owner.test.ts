import { expect } from "chai";
import { newTenant, startTestServer, type TestServer } from "../support/test-server";
import { auditOf } from "../support/admin";
import { createUserId, deactivate, remove } from "../support/scim";

describe("/admin/v1/tenants/:tenant/owner", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("returns {userId: null} for a tenant without an owner", async () => {
    const tenant = await newTenant(server);
    const owner = await tenant.admin("GET", "/owner");
    expect(owner.status).to.equal(200);
    expect(owner.body).to.deep.equal({ userId: null });
  });

  it("sets an active user as owner and returns it", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "the.owner");
    const put = await tenant.admin("PUT", "/owner", { userId: id });
    expect(put.status).to.equal(200);
    expect(put.body).to.deep.equal({ userId: id });
    expect((await tenant.admin("GET", "/owner")).body).to.deep.equal({ userId: id });
  });

  it("records owner.update with the previous and the new owner", async () => {
    const tenant = await newTenant(server);
    const first = await createUserId(tenant, "first.owner");
    const second = await createUserId(tenant, "second.owner");
    await tenant.admin("PUT", "/owner", { userId: first });
    await tenant.admin("PUT", "/owner", { userId: second });
    await tenant.admin("PUT", "/owner", { userId: second });
    const entries = await auditOf(tenant, "action=owner.update");
    expect(entries).to.have.length(2);
    expect(entries[0]).to.include({ actor: "admin:root", actorName: "root", target: tenant.id });
    expect(entries[0].before).to.deep.equal({ userId: first });
    expect(entries[0].after).to.deep.equal({ userId: second });
    expect(entries[1].before).to.deep.equal({ userId: null });
  });

  it("clears the owner with {userId: null}", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "was.owner");
    await tenant.admin("PUT", "/owner", { userId: id });
    const cleared = await tenant.admin("PUT", "/owner", { userId: null });
    expect(cleared.status).to.equal(200);
    expect(cleared.body).to.deep.equal({ userId: null });
    expect((await tenant.admin("GET", "/owner")).body).to.deep.equal({ userId: null });
    // without an owner the former owner may be deactivated
    await deactivate(tenant, id);
  });

  it("returns 400 for a user that does not exist and keeps the owner", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "kept.owner");
    await tenant.admin("PUT", "/owner", { userId: id });
    const answer = await tenant.admin("PUT", "/owner", { userId: "no-such-user" });
    expect(answer.status).to.equal(400);
    expect(answer.body.status).to.equal(400);
    expect((await tenant.admin("GET", "/owner")).body).to.deep.equal({ userId: id });
  });

  it("returns 400 for a deactivated user", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "inactive.candidate");
    await deactivate(tenant, id);
    const answer = await tenant.admin("PUT", "/owner", { userId: id });
    expect(answer.status).to.equal(400);
    expect(answer.body.detail).to.match(/active/);
  });

  it("returns 400 for a removed user", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "removed.candidate");
    await remove(tenant, id);
    expect((await tenant.admin("PUT", "/owner", { userId: id })).status).to.equal(400);
  });

  it("returns 400 for a user of another tenant", async () => {
    const tenant = await newTenant(server);
    const other = await newTenant(server);
    const id = await createUserId(other, "foreign.user");
    expect((await tenant.admin("PUT", "/owner", { userId: id })).status).to.equal(400);
  });

  it("returns 400 listing schema errors [missing userId, unknown property, wrong type]", async () => {
    const tenant = await newTenant(server);
    const missing = await tenant.admin("PUT", "/owner", { user: "x" });
    expect(missing.status).to.equal(400);
    expect(missing.body.errors.map((error: { path: string }) => error.path).sort()).to.deep.equal(["/user", "/userId"]);
    const wrongType = await tenant.admin("PUT", "/owner", { userId: 42 });
    expect(wrongType.status).to.equal(400);
    expect(wrongType.body.errors[0].path).to.equal("/userId");
  });

  it("makes the owner guard refuse the owner's deactivation", async () => {
    const tenant = await newTenant(server);
    const id = await createUserId(tenant, "guarded.owner");
    await tenant.admin("PUT", "/owner", { userId: id });
    const refused = await tenant.scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(refused.status).to.equal(400);
    expect(refused.body.detail).to.match(/transfer ownership/i);
  });
});
