import { createHash } from "node:crypto";
import { expect } from "chai";
import { DEACTIVATED_MESSAGE } from "../../src/domain/access-decision";
import { CredentialModel } from "../../src/store/models";
import { newTenant, startTestServer, type TestServer } from "../support/test-server";
import { createUserId, deactivate, remove } from "../support/scim";

describe("/admin/v1/tenants/:tenant/users/:id credentials and access", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  describe("GET …/access", () => {
    it("allows an active user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "can.login");
      const access = await tenant.admin("GET", `/users/${id}/access`);
      expect(access.status).to.equal(200);
      expect(access.body).to.deep.equal({ allowed: true });
    });

    it("refuses a deactivated user with the deactivation message", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "cannot.login");
      await deactivate(tenant, id);
      const access = await tenant.admin("GET", `/users/${id}/access`);
      expect(access.status).to.equal(200);
      expect(access.body).to.deep.equal({ allowed: false, reason: DEACTIVATED_MESSAGE });
      expect(access.body.reason).to.equal("Your account has been deactivated. If you believe this is in error please contact us");
    });

    it("allows a reactivated user again", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "back.again");
      await deactivate(tenant, id);
      await tenant.scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: true }] });
      expect((await tenant.admin("GET", `/users/${id}/access`)).body).to.deep.equal({ allowed: true });
    });

    it("returns 404 for a removed user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "removed.login");
      await remove(tenant, id);
      expect((await tenant.admin("GET", `/users/${id}/access`)).status).to.equal(404);
    });

    it("returns 404 for an unknown user", async () => {
      const tenant = await newTenant(server);
      expect((await tenant.admin("GET", "/users/nobody/access")).status).to.equal(404);
    });
  });

  describe("POST …/sessions", () => {
    it("registers a session and answers 201 {id, createdAt}", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "has.session");
      const session = await tenant.admin("POST", `/users/${id}/sessions`, { label: "web" });
      expect(session.status).to.equal(201);
      expect(Object.keys(session.body).sort()).to.deep.equal(["createdAt", "id"]);
      expect(new Date(session.body.createdAt).toISOString()).to.equal(session.body.createdAt);
    });

    it("registers a session without a body", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "bare.session");
      expect((await tenant.admin("POST", `/users/${id}/sessions`)).status).to.equal(201);
    });

    it("returns 403 with the deactivation message for a deactivated user and stores nothing", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "no.session");
      await deactivate(tenant, id);
      const answer = await tenant.admin("POST", `/users/${id}/sessions`, {});
      expect(answer.status).to.equal(403);
      expect(answer.body).to.include({ status: 403, detail: DEACTIVATED_MESSAGE });
      expect((await tenant.admin("GET", `/users/${id}/credentials`)).body.sessions).to.deep.equal([]);
    });

    it("returns 404 for a removed or unknown user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "gone.session");
      await remove(tenant, id);
      expect((await tenant.admin("POST", `/users/${id}/sessions`, {})).status).to.equal(404);
      expect((await tenant.admin("POST", "/users/nobody/sessions", {})).status).to.equal(404);
    });

    it("returns 400 listing schema errors", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "bad.session");
      const answer = await tenant.admin("POST", `/users/${id}/sessions`, { label: ["x"], device: "phone" });
      expect(answer.status).to.equal(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).to.deep.equal(["/device", "/label"]);
    });
  });

  describe("POST …/api-keys", () => {
    it("issues a key shown once, stored only as its SHA-256", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "has.key");
      const issued = await tenant.admin("POST", `/users/${id}/api-keys`, { label: "ci" });
      expect(issued.status).to.equal(201);
      expect(Object.keys(issued.body).sort()).to.deep.equal(["createdAt", "id", "key"]);
      expect(issued.body.key).to.be.a("string").with.length.greaterThan(30);
      const stored = await CredentialModel.findById(issued.body.id).lean().exec();
      expect(stored!.hash).to.equal(createHash("sha256").update(issued.body.key).digest("hex"));
      expect(JSON.stringify(stored)).to.not.include(issued.body.key);
      const listed = await tenant.admin("GET", `/users/${id}/credentials`);
      expect(JSON.stringify(listed.body)).to.not.include(issued.body.key);
      expect(JSON.stringify(listed.body)).to.not.include(stored!.hash!);
    });

    it("returns 403 with the deactivation message for a deactivated user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "no.key");
      await deactivate(tenant, id);
      const answer = await tenant.admin("POST", `/users/${id}/api-keys`, {});
      expect(answer.status).to.equal(403);
      expect(answer.body.detail).to.equal(DEACTIVATED_MESSAGE);
      expect((await tenant.admin("GET", `/users/${id}/credentials`)).body.apiKeys).to.deep.equal([]);
    });

    it("returns 404 for a removed user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "gone.key");
      await remove(tenant, id);
      expect((await tenant.admin("POST", `/users/${id}/api-keys`, {})).status).to.equal(404);
    });
  });

  describe("GET …/credentials", () => {
    it("lists sessions and API keys in the documented shapes", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "lists.credentials");
      const session = await tenant.admin("POST", `/users/${id}/sessions`, { label: "web" });
      const key = await tenant.admin("POST", `/users/${id}/api-keys`, { label: "ci" });
      const listed = await tenant.admin("GET", `/users/${id}/credentials`);
      expect(listed.status).to.equal(200);
      expect(listed.body).to.deep.equal({
        sessions: [{ id: session.body.id, createdAt: session.body.createdAt, revokedAt: null }],
        apiKeys: [{ id: key.body.id, label: "ci", createdAt: key.body.createdAt, revokedAt: null }],
      });
    });

    it("shows every session and key revoked after a deactivation", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "revoked.all");
      await tenant.admin("POST", `/users/${id}/sessions`, {});
      await tenant.admin("POST", `/users/${id}/api-keys`, {});
      await deactivate(tenant, id);
      const listed = await tenant.admin("GET", `/users/${id}/credentials`);
      for (const credential of [...listed.body.sessions, ...listed.body.apiKeys]) expect(credential.revokedAt).to.be.a("string");
    });

    it("keeps API keys when the policy says revokeApiKeys false [sessions still revoked]", async () => {
      const tenant = await newTenant(server);
      await tenant.admin("PUT", "/policy", { revokeApiKeys: false });
      const id = await createUserId(tenant, "keeps.keys");
      await tenant.admin("POST", `/users/${id}/sessions`, {});
      await tenant.admin("POST", `/users/${id}/api-keys`, {});
      await deactivate(tenant, id);
      const listed = await tenant.admin("GET", `/users/${id}/credentials`);
      expect(listed.body.sessions[0].revokedAt).to.be.a("string");
      expect(listed.body.apiKeys[0].revokedAt).to.equal(null);
    });

    it("returns 404 for a removed or unknown user", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "gone.credentials");
      await remove(tenant, id);
      expect((await tenant.admin("GET", `/users/${id}/credentials`)).status).to.equal(404);
      expect((await tenant.admin("GET", "/users/nobody/credentials")).status).to.equal(404);
    });

    it("returns 404 for a user of another tenant", async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const id = await createUserId(other, "foreign.credentials");
      expect((await tenant.admin("GET", `/users/${id}/credentials`)).status).to.equal(404);
      expect((await tenant.admin("POST", `/users/${id}/sessions`, {})).status).to.equal(404);
    });
  });
});
