import { expect } from "chai";
import { TokenModel } from "../../src/store/models";
import { hashToken } from "../../src/services/hash-token";
import { newTenant, request, startTestServer, type TestServer } from "../support/test-server";
import { auditOf } from "../support/admin";

describe("/admin/v1/tenants/:tenant/tokens", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const scimWith = (token: string) => request(`${server.url}/scim/v2/Users`, "GET", { token });

  describe("POST", () => {
    it("issues a token shown once with id, label and createdAt, stored only as its hash", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens", { label: "okta" });
      expect(issued.status).to.equal(201);
      expect(Object.keys(issued.body).sort()).to.deep.equal(["createdAt", "id", "label", "token"]);
      expect(issued.body.label).to.equal("okta");
      expect(issued.body.token).to.be.a("string").with.length.greaterThan(30);
      expect(new Date(issued.body.createdAt).toISOString()).to.equal(issued.body.createdAt);
      const stored = await TokenModel.findById(issued.body.id).lean().exec();
      expect(stored!.hash).to.equal(hashToken(issued.body.token));
      expect(JSON.stringify(stored)).to.not.include(issued.body.token);
      expect((await scimWith(issued.body.token)).status).to.equal(200);
    });

    it("issues a token without a label [empty body]", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens");
      expect(issued.status).to.equal(201);
      expect(issued.body.label).to.equal(null);
    });

    it("records token.create by admin with the token id as target", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens", { label: "entra" });
      const [entry] = await auditOf(tenant, `action=token.create&target=${issued.body.id}`);
      expect(entry).to.include({ actor: "admin:root", actorName: "root", target: issued.body.id });
      expect(JSON.stringify(entry)).to.not.include(issued.body.token);
    });

    it("returns 400 listing schema errors [label not a string, unknown property]", async () => {
      const tenant = await newTenant(server);
      const answer = await tenant.admin("POST", "/tokens", { label: 7, scope: "all" });
      expect(answer.status).to.equal(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).to.deep.equal(["/label", "/scope"]);
    });
  });

  describe("GET", () => {
    it("lists id, label, createdAt and lastUsedAt, never a secret or hash", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens", { label: "listed" });
      const listed = await tenant.admin("GET", "/tokens");
      expect(listed.status).to.equal(200);
      const mine = listed.body.tokens.find((token: { id: string }) => token.id === issued.body.id);
      expect(mine).to.deep.equal({ id: issued.body.id, label: "listed", createdAt: issued.body.createdAt, lastUsedAt: null });
      for (const token of listed.body.tokens) expect(Object.keys(token).sort()).to.deep.equal(["createdAt", "id", "label", "lastUsedAt"]);
      expect(JSON.stringify(listed.body)).to.not.include(issued.body.token);
    });

    it("shows lastUsedAt to the minute after the token is used", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens", { label: "used" });
      const before = Date.now();
      await scimWith(issued.body.token);
      let lastUsedAt: string | null = null;
      for (let attempt = 0; attempt < 50 && !lastUsedAt; attempt++) {
        const listed = await tenant.admin("GET", "/tokens");
        lastUsedAt = listed.body.tokens.find((token: { id: string }) => token.id === issued.body.id).lastUsedAt;
        if (!lastUsedAt) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(lastUsedAt).to.match(/:00\.000Z$/);
      const minute = (ms: number) => Math.floor(ms / 60000) * 60000;
      expect(new Date(lastUsedAt!).getTime()).to.be.within(minute(before), minute(Date.now()));
    });

    it("lists only the tenant's own tokens", async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const issued = await other.admin("POST", "/tokens", { label: "theirs" });
      const listed = await tenant.admin("GET", "/tokens");
      expect(listed.body.tokens.map((token: { id: string }) => token.id)).to.not.include(issued.body.id);
    });
  });

  describe("DELETE", () => {
    it("revokes a token: the next SCIM request with it is 401 and it leaves the list", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens", { label: "revoked" });
      expect((await scimWith(issued.body.token)).status).to.equal(200);
      const revoked = await tenant.admin("DELETE", `/tokens/${issued.body.id}`);
      expect(revoked.status).to.equal(204);
      expect((await scimWith(issued.body.token)).status).to.equal(401);
      const listed = await tenant.admin("GET", "/tokens");
      expect(listed.body.tokens.map((token: { id: string }) => token.id)).to.not.include(issued.body.id);
      expect((await scimWith(tenant.token)).status, "other tokens keep working").to.equal(200);
    });

    it("records token.revoke", async () => {
      const tenant = await newTenant(server);
      const issued = await tenant.admin("POST", "/tokens");
      await tenant.admin("DELETE", `/tokens/${issued.body.id}`);
      const [entry] = await auditOf(tenant, "action=token.revoke");
      expect(entry).to.include({ actor: "admin:root", actorName: "root", target: issued.body.id });
    });

    it("returns 404 for an unknown token", async () => {
      const tenant = await newTenant(server);
      const answer = await tenant.admin("DELETE", "/tokens/no-such-token");
      expect(answer.status).to.equal(404);
      expect(answer.body.status).to.equal(404);
    });

    it("returns 404 for another tenant's token and leaves it working", async () => {
      const tenant = await newTenant(server);
      const other = await newTenant(server);
      const issued = await other.admin("POST", "/tokens");
      expect((await tenant.admin("DELETE", `/tokens/${issued.body.id}`)).status).to.equal(404);
      expect((await scimWith(issued.body.token)).status).to.equal(200);
    });
  });
});
