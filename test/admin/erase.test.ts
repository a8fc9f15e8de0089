import { expect } from "chai";
import mongoose from "mongoose";
import { findAnyUser } from "../../src/store/user-store";
import { newTenant, startTestServer, userBody, type TestServer, type TestTenant } from "../support/test-server";
import { auditOf } from "../support/admin";
import { createUserId, deactivate, remove } from "../support/scim";

const PERSONAL = {
  name: { givenName: "Annabel", familyName: "Lindqvist" },
  displayName: "Annabel Lindqvist",
  nickName: "Bel",
  title: "Night Auditor",
  emails: [{ value: "annabel.lindqvist@example.com", type: "work", primary: true }],
  phoneNumbers: [{ value: "+46 70 123 45 67", type: "mobile" }],
  addresses: [{ streetAddress: "Storgatan 1", locality: "Uppsala", type: "home" }],
  externalId: "ext-4711",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Finance", employeeNumber: "E-4711" },
};
const PERSONAL_STRINGS = ["annabel", "lindqvist", "Bel", "Night Auditor", "+46 70 123 45 67", "Storgatan", "Uppsala"];

async function personalUser(tenant: TestTenant, userName = "annabel.l"): Promise<string> {
  const id = await createUserId(tenant, userName, PERSONAL);
  // an update recorded with personal values on both sides
  const patched = await tenant.scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "title", value: "Chief Night Auditor" }] });
  expect(patched.status).to.equal(200);
  return id;
}

function expectErased(user: Record<string, any>, id: string): void {
  expect(user.id).to.equal(id);
  expect(user.userName).to.equal(`deleted-${id}`);
  expect(user.displayName).to.equal("(deleted user)");
  for (const attribute of ["name", "emails", "phoneNumbers", "photos", "addresses", "nickName", "title"]) expect(user, attribute).to.not.have.property(attribute);
  const text = JSON.stringify(user).toLowerCase();
  for (const personal of PERSONAL_STRINGS) expect(text, personal).to.not.include(personal.toLowerCase());
}

describe("POST /admin/v1/tenants/:tenant/users/:id/erase", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("returns 409 for an active user and changes nothing", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    const answer = await tenant.admin("POST", `/users/${id}/erase`);
    expect(answer.status).to.equal(409);
    expect(answer.body.status).to.equal(409);
    expect((await tenant.scim("GET", `/Users/${id}`)).body.userName).to.equal("annabel.l");
    expect(await auditOf(tenant, "action=user.erase")).to.deep.equal([]);
  });

  it("erases a deactivated user and answers 200 with the erased SCIM user", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await deactivate(tenant, id);
    const answer = await tenant.admin("POST", `/users/${id}/erase`);
    expect(answer.status).to.equal(200);
    expectErased(answer.body, id);
    expect(answer.body.active).to.equal(false);
    expect(answer.body.externalId).to.equal("ext-4711");
    expect(answer.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).to.include({ department: "Finance" });
    const read = await tenant.scim("GET", `/Users/${id}`);
    expect(read.status).to.equal(200);
    expectErased(read.body, id);
    expect(read.body.meta.version).to.equal(answer.body.meta.version);
  });

  it("frees the former userName and email lookups [not removed]", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await deactivate(tenant, id);
    await tenant.admin("POST", `/users/${id}/erase`);
    const byEmail = await tenant.scim("GET", `/Users?filter=${encodeURIComponent('emails.value eq "annabel.lindqvist@example.com"')}`);
    expect(byEmail.body.totalResults).to.equal(0);
    const byPlaceholder = await tenant.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "DELETED-${id}"`)}`);
    expect(byPlaceholder.body.totalResults).to.equal(1);
    const reused = await tenant.scim("POST", "/Users", userBody("annabel.l"));
    expect(reused.status).to.equal(201);
    const stored = await findAnyUser(tenant.id, id);
    expect(stored!.userNameKey).to.equal(`deleted-${id}`);
    expect(stored!.emailKeys).to.deep.equal([]);
    expect(stored!.displayNameKey).to.equal("(deleted user)");
    expect(stored!.erasedAt).to.be.instanceOf(Date);
  });

  it("erases a removed user, which stays removed, and answers 200 with it", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await remove(tenant, id);
    const answer = await tenant.admin("POST", `/users/${id}/erase`);
    expect(answer.status).to.equal(200);
    expectErased(answer.body, id);
    expect((await tenant.scim("GET", `/Users/${id}`)).status).to.equal(404);
    const stored = await findAnyUser(tenant.id, id);
    expect(stored!.deletedAt).to.be.instanceOf(Date);
    expect(stored!.userNameKey, "the removed key is kept").to.equal(`\u0000removed:${id}`);
  });

  it("redacts the user's personal values in its audit entries and keeps action, time, actor and target [former values included]", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await deactivate(tenant, id);
    const before = await auditOf(tenant, `target=${id}`);
    expect(JSON.stringify(before)).to.include("annabel.lindqvist@example.com");
    await tenant.admin("POST", `/users/${id}/erase`);
    const after = (await auditOf(tenant, `target=${id}`)).filter((entry) => entry.action !== "user.erase");
    expect(after.map(({ id: entryId, at, actor, action, target, requestId }) => ({ entryId, at, actor, action, target, requestId }))).to.deep.equal(
      before.map(({ id: entryId, at, actor, action, target, requestId }) => ({ entryId, at, actor, action, target, requestId })),
    );
    const text = JSON.stringify(after).toLowerCase();
    for (const personal of [...PERSONAL_STRINGS, "annabel.l", "Chief Night Auditor"]) expect(text, personal).to.not.include(personal.toLowerCase());
    const created = after.find((entry) => entry.action === "user.create");
    expect(created.after.userName).to.equal("[redacted]");
    expect(created.after["name.givenName"]).to.equal("[redacted]");
    expect(created.after.active, "non-personal values stay").to.equal(true);
    expect(created.after["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"]).to.equal("Finance");
  });

  it("records user.erase by admin without any personal value", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await deactivate(tenant, id);
    await tenant.admin("POST", `/users/${id}/erase`);
    const entries = await auditOf(tenant, `action=user.erase&target=${id}`);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ actor: "admin:root", actorName: "root", target: id, tenant: tenant.id });
    expect(entries[0].after).to.deep.equal({ erased: true });
    const text = JSON.stringify(entries[0]).toLowerCase();
    for (const personal of [...PERSONAL_STRINGS, "annabel.l"]) expect(text, personal).to.not.include(personal.toLowerCase());
  });

  it("leaves entries about other users alone", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    const namesake = await createUserId(tenant, "other.annabel", { name: { givenName: "Annabel", familyName: "Other" } });
    await deactivate(tenant, id);
    await tenant.admin("POST", `/users/${id}/erase`);
    const [created] = await auditOf(tenant, `action=user.create&target=${namesake}`);
    expect(created.after["name.givenName"]).to.equal("Annabel");
  });

  it("answers 200 again for an erased user without a second user.erase entry", async () => {
    const tenant = await newTenant(server);
    const id = await personalUser(tenant);
    await deactivate(tenant, id);
    const first = await tenant.admin("POST", `/users/${id}/erase`);
    const second = await tenant.admin("POST", `/users/${id}/erase`);
    expect(second.status).to.equal(200);
    expect(second.body).to.deep.equal(first.body);
    expect(await auditOf(tenant, `action=user.erase&target=${id}`)).to.have.length(1);
  });

  it("returns 404 for an unknown user", async () => {
    const tenant = await newTenant(server);
    const answer = await tenant.admin("POST", "/users/no-such-user/erase");
    expect(answer.status).to.equal(404);
    expect(answer.body.status).to.equal(404);
  });

  it("returns 404 for a user of another tenant", async () => {
    const tenant = await newTenant(server);
    const other = await newTenant(server);
    const id = await createUserId(other, "foreign.leaver");
    await deactivate(other, id);
    expect((await tenant.admin("POST", `/users/${id}/erase`)).status).to.equal(404);
    expect((await other.scim("GET", `/Users/${id}`)).body.userName).to.equal("foreign.leaver");
  });

  it("leaves none of the erased values in any collection, the transitions included [leader cascade]", async () => {
    const tenant = await newTenant(server);
    const distinctive = { name: { givenName: "Quillfeather", familyName: "Zanzibarova" }, displayName: "Quillfeather Zanzibarova", nickName: "Quilly", title: "Amber Surveyor", emails: [{ value: "q.zanzibarova@example.org", type: "work" }], phoneNumbers: [{ value: "+1 555 0199 42" }] };
    const boss = await createUserId(tenant, "boss.of.quill");
    const leader = await createUserId(tenant, "quill.zanzibarova", { ...distinctive, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: boss } } });
    await createUserId(tenant, "quill.report", { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: leader } } });
    const group = await tenant.scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:extension:roster:2.0:Group"], displayName: "Quill team", members: [{ value: leader }], "urn:ietf:params:scim:schemas:extension:roster:2.0:Group": { manager: { value: leader } } });
    expect(group.status).to.equal(201);
    // a PUT that deactivates and changes the title: the transition records personal values on both sides
    const current = (await tenant.scim("GET", `/Users/${leader}`)).body;
    const put = await tenant.scim("PUT", `/Users/${leader}`, { ...current, title: "Obsidian Cartographer", active: false });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect((await tenant.admin("POST", `/users/${leader}/erase`)).status).to.equal(200);

    const values = ["Quillfeather", "Zanzibarova", "Quilly", "Amber Surveyor", "Obsidian Cartographer", "q.zanzibarova@example.org", "+1 555 0199 42", "quill.zanzibarova"];
    const found: string[] = [];
    for (const { name } of await mongoose.connection.db!.listCollections().toArray()) {
      const docs = await mongoose.connection.db!.collection(name).find({ $or: [{ tenant: tenant.id }, { _id: tenant.id as never }] }).toArray();
      for (const doc of docs) {
        const text = JSON.stringify(doc).toLowerCase();
        for (const value of values) if (text.includes(value.toLowerCase())) found.push(`${name}: ${value}`);
      }
    }
    expect(found).to.deep.equal([]);
  });
});
