import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createUser, expectScimError, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { ENTERPRISE } from "../support/urns";

const MANAGER = `${ENTERPRISE}:manager`;

async function read(tenant: TestTenant, id: string): Promise<any> {
  const result = await tenant.scim("GET", `/Users/${id}`);
  expect(result.status).to.equal(200);
  return result.body;
}

describe("PATCH /Users/:id", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("deactivates with a path-less replace and answers 200 with the user [Okta]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "okta.user");
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { active: false } }));
    expect(patched.status).to.equal(200);
    expect(patched.body.id).to.equal(user.id);
    expect(patched.body.active).to.equal(false);
    expect(patched.body.userName).to.equal("okta.user");
    expect((await read(tenant, user.id)).active).to.equal(false);
  });

  it("reactivates with a path-less replace [Okta]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "okta.user", { active: false });
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { active: true } }));
    expect(patched.status).to.equal(200);
    expect(patched.body.active).to.equal(true);
  });

  it("deactivates with op Replace and the string \"False\" [Entra default mode]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.user");
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
    expect(patched.status).to.equal(200);
    expect(patched.body.active).to.equal(false);
    expect((await read(tenant, user.id)).active).to.equal(false);
  });

  it("deactivates with a boolean value [Entra aadOptscim062020]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.user");
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false }));
    expect(patched.status).to.equal(200);
    expect(patched.body.active).to.equal(false);
  });

  it("applies dotted and URN keys of a path-less value [Entra flagged mode]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.user");
    const patched = await tenant.scim(
      "PATCH",
      `/Users/${user.id}`,
      patchOp({ op: "replace", value: { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENTERPRISE}:employeeNumber`]: "Aklq" } }),
    );
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const after = await read(tenant, user.id);
    expect(after.displayName).to.equal("Bjfe");
    expect(after.name).to.deep.include({ givenName: "Kkom", familyName: "Unua" });
    expect(after[ENTERPRISE].employeeNumber).to.equal("Aklq");
  });

  it("replaces the value of the work email only, and name.familyName [Entra update]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.user", {
      emails: [
        { value: "old@work.example", type: "work", primary: true },
        { value: "me@home.example", type: "home" },
      ],
    });
    const patched = await tenant.scim(
      "PATCH",
      `/Users/${user.id}`,
      patchOp({ op: "Replace", path: 'emails[type eq "work"].value', value: "new@work.example" }, { op: "Replace", path: "name.familyName", value: "F" }),
    );
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const after = await read(tenant, user.id);
    expect(after.emails).to.deep.equal([
      { value: "new@work.example", type: "work", primary: true },
      { value: "me@home.example", type: "home" },
    ]);
    expect(after.name.familyName).to.equal("F");
  });

  it("finds the user by the new email after the replace", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "entra.user", { emails: [{ value: "old@work.example", type: "work" }] });
    await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "Replace", path: 'emails[type eq "work"].value', value: "new@work.example" }));
    const found = await tenant.scim("GET", `/Users?filter=${encodeURIComponent('emails.value eq "new@work.example"')}`);
    expect(found.body.totalResults).to.equal(1);
    const stale = await tenant.scim("GET", `/Users?filter=${encodeURIComponent('emails.value eq "old@work.example"')}`);
    expect(stale.body.totalResults).to.equal(0);
  });

  it("sets the manager from a bare id string and removes it with Replace and \"\" [Entra]", async () => {
    const tenant = await freshTenant(server);
    const [boss, user] = await Promise.all([createUser(tenant, "boss"), createUser(tenant, "report")]);
    const added = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: MANAGER, value: boss.id }));
    expect(added.status, JSON.stringify(added.body)).to.equal(200);
    expect(added.body[ENTERPRISE].manager.value).to.equal(boss.id);
    expect((await read(tenant, user.id))[ENTERPRISE].manager.value).to.equal(boss.id);

    const removed = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "Replace", path: MANAGER, value: "" }));
    expect(removed.status, JSON.stringify(removed.body)).to.equal(200);
    expect(removed.body[ENTERPRISE]?.manager).to.equal(undefined);
    expect((await read(tenant, user.id))[ENTERPRISE]?.manager).to.equal(undefined);
  });

  it("keeps a manager id that is not a Roster user, as Okta's HR-id mappings send", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "report");
    const result = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: MANAGER, value: "hr-000123" }));
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    expect((await read(tenant, user.id))[ENTERPRISE].manager.value).to.equal("hr-000123");
  });

  it("answers 400 invalidValue for a user made their own manager and changes nothing", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "self.managed");
    const result = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: MANAGER, value: user.id }));
    expectScimError(result, 400, "invalidValue");
    expect((await read(tenant, user.id)).meta.version).to.equal(user.meta.version);
  });

  it("removes an attribute by path", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "titled", { title: "Boss" });
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "remove", path: "title" }));
    expect(patched.status).to.equal(200);
    expect(patched.body).not.to.have.property("title");
  });

  it("adds an email to the existing ones [add to a multi-valued attribute]", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "mail.user", { emails: [{ value: "a@x.example", type: "work" }] });
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: "emails", value: [{ value: "b@x.example", type: "home" }] }));
    expect(patched.status).to.equal(200);
    expect(patched.body.emails.map((email: { value: string }) => email.value)).to.deep.equal(["a@x.example", "b@x.example"]);
  });

  it("answers 200 with the unchanged user when the PATCH changes nothing", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "same.user", { displayName: "Same" });
    const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: "Same" }));
    expect(patched.status).to.equal(200);
    expect(patched.body.id).to.equal(user.id);
    expect(patched.body.displayName).to.equal("Same");
    expect(patched.body.meta.version).to.equal(user.meta.version);
    expect(patched.headers.get("etag")).to.equal(user.meta.version);
  });

  it("answers 400 invalidSyntax for an unknown op and changes nothing", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "same.user", { displayName: "Before" });
    const result = await tenant.scim(
      "PATCH",
      `/Users/${user.id}`,
      patchOp({ op: "replace", path: "displayName", value: "After" }, { op: "frobnicate", path: "title", value: "x" }),
    );
    expectScimError(result, 400, "invalidSyntax");
    const after = await read(tenant, user.id);
    expect(after.displayName).to.equal("Before");
    expect(after.meta.version).to.equal(user.meta.version);
  });

  it("answers 400 for a PATCH without Operations", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "same.user");
    expectScimError(await tenant.scim("PATCH", `/Users/${user.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }), 400, "invalidSyntax");
  });

  it("answers 400 for a path to an unknown attribute and changes nothing [policy unknownAttributes: reject]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const user = await createUser(tenant, "same.user");
    const result = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "noSuchAttribute", value: "x" }));
    expect(result.status).to.equal(400);
    expectScimError(result, 400, result.body.scimType);
    expect((await read(tenant, user.id)).meta.version).to.equal(user.meta.version);
  });

  it("answers 404 for an unknown user", async () => {
    const tenant = await freshTenant(server);
    expectScimError(await tenant.scim("PATCH", "/Users/no-such-user", patchOp({ op: "replace", value: { active: false } })), 404);
  });
});
