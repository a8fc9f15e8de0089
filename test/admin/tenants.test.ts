import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { expect } from "chai";
import pino from "pino";
import { loadConfig } from "../../src/config/load-config";
import { startRoster, type RunningRoster } from "../../src/start-roster";
import { finishTenantDeletions } from "../../src/services/tenants";
import { countAudit } from "../../src/store/audit-store";
import { TokenModel, UserModel } from "../../src/store/models";
import { hasTenantLeftovers, markTenantDeleting } from "../../src/store/tenant-store";
import { ADMIN_TOKEN, request, userBody, type TestServer } from "../support/test-server";
import { admin } from "../support/admin";

function tenantId(): string {
  return `adm-${randomUUID().slice(0, 8)}`;
}

describe("/admin/v1/tenants", () => {
  let server: TestServer;
  let roster: RunningRoster;
  const logLines: Array<Record<string, unknown>> = [];
  before(async () => {
    // a logger we can read: deleting a tenant must be recorded in the server log (SPEC §6)
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({}, { port: 0, adminToken: ADMIN_TOKEN, rateLimit: { perSecond: 0, burst: 0 }, jobIntervalMs: 60_000 });
    roster = await startRoster(config, { connected: true, logger: pino({ level: "info" }, sink) });
    server = { url: roster.url, roster, close: () => roster.close() };
  });
  after(async () => server.close());

  describe("POST /tenants", () => {
    it("creates a tenant named after its id when no name is given", async () => {
      const id = tenantId();
      const created = await admin(server, "POST", "/tenants", { id });
      expect(created.status).to.equal(201);
      expect(created.body).to.deep.equal({ id, name: id });
    });

    it("creates a tenant with a name", async () => {
      const id = tenantId();
      const created = await admin(server, "POST", "/tenants", { id, name: "Acme Corp" });
      expect(created.status).to.equal(201);
      expect(created.body).to.deep.equal({ id, name: "Acme Corp" });
    });

    it("returns 409 when the tenant exists", async () => {
      const id = tenantId();
      expect((await admin(server, "POST", "/tenants", { id })).status).to.equal(201);
      const again = await admin(server, "POST", "/tenants", { id, name: "other" });
      expect(again.status).to.equal(409);
      expect(again.body).to.include({ status: 409 });
      expect(again.body.detail).to.include(id);
    });

    it("returns 400 listing every schema error [bad id, unknown property, empty name]", async () => {
      const answer = await admin(server, "POST", "/tenants", { id: "Not_Valid", colour: "red", name: "" });
      expect(answer.status).to.equal(400);
      expect(answer.body.status).to.equal(400);
      const paths = answer.body.errors.map((error: { path: string }) => error.path).sort();
      expect(paths).to.deep.equal(["/colour", "/id", "/name"]);
      for (const error of answer.body.errors) expect(error.message).to.be.a("string").and.not.equal("");
    });

    it("returns 400 when the id is missing [empty body]", async () => {
      const answer = await admin(server, "POST", "/tenants");
      expect(answer.status).to.equal(400);
      expect(answer.body.errors).to.deep.equal([{ path: "/id", message: "is required" }]);
    });

    it("returns 400 for an id longer than 64 characters", async () => {
      const answer = await admin(server, "POST", "/tenants", { id: "a".repeat(65) });
      expect(answer.status).to.equal(400);
      expect(answer.body.errors[0].path).to.equal("/id");
    });

    it("returns 400 for a body that is not an object [array]", async () => {
      const answer = await admin(server, "POST", "/tenants", [{ id: "x" }]);
      expect(answer.status).to.equal(400);
      expect(answer.body.errors).to.have.length.greaterThan(0);
    });
  });

  describe("GET /tenants", () => {
    it("lists tenants with id and name", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id, name: "Listed" });
      const listed = await admin(server, "GET", "/tenants");
      expect(listed.status).to.equal(200);
      expect(listed.body.tenants).to.deep.include({ id, name: "Listed" });
      for (const tenant of listed.body.tenants) expect(Object.keys(tenant).sort()).to.deep.equal(["id", "name"]);
    });
  });

  describe("DELETE /tenants/:tenant", () => {
    it("deletes the tenant with its users, tokens and audit log, and logs it", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id });
      const issued = await admin(server, "POST", `/tenants/${id}/tokens`, { label: "idp" });
      const created = await request(`${server.url}/scim/v2/Users`, "POST", { token: issued.body.token, body: userBody("gone.user") });
      expect(created.status).to.equal(201);
      expect(await countAudit({ tenant: id })).to.be.greaterThan(0);

      const deleted = await request(`${server.url}/admin/v1/tenants/${id}`, "DELETE", { token: ADMIN_TOKEN, headers: { "X-Request-Id": `del-${id}` } });
      expect(deleted.status).to.equal(204);
      expect((await admin(server, "GET", "/tenants")).body.tenants.map((tenant: { id: string }) => tenant.id)).to.not.include(id);
      expect((await admin(server, "GET", `/tenants/${id}/seats`)).status).to.equal(404);
      expect((await request(`${server.url}/scim/v2/Users`, "GET", { token: issued.body.token })).status).to.equal(401);
      expect(await countAudit({ tenant: id })).to.equal(0);
      const logged = logLines.find((line) => line.tenant === id && line.requestId === `del-${id}` && /deleted/.test(String(line.msg)));
      expect(logged, "a server log line for the deletion").to.not.equal(undefined);
    });

    it("returns 404 for an unknown tenant", async () => {
      const answer = await admin(server, "DELETE", `/tenants/${tenantId()}`);
      expect(answer.status).to.equal(404);
      expect(answer.body.status).to.equal(404);
    });

    it("lets the id be created again afterwards", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id });
      expect((await admin(server, "DELETE", `/tenants/${id}`)).status).to.equal(204);
      expect((await admin(server, "POST", "/tenants", { id })).status).to.equal(201);
    });

    it("refuses the tokens of a tenant whose deletion was cut short, and the sweep finishes it [crash after the mark]", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id });
      const issued = await admin(server, "POST", `/tenants/${id}/tokens`, { label: "idp" });
      const scim = (method: string, path: string, body?: unknown) => request(`${server.url}/scim/v2${path}`, method, { token: issued.body.token, body });
      expect((await scim("POST", "/Users", userBody("left.behind"))).status).to.equal(201);

      // the first step of a deletion, then the process dies
      expect(await markTenantDeleting(id, new Date())).to.equal(true);
      expect((await scim("GET", "/Users")).status).to.equal(401);
      expect((await admin(server, "GET", "/tenants")).body.tenants.map((tenant: { id: string }) => tenant.id)).to.not.include(id);
      expect((await admin(server, "GET", `/tenants/${id}/policy`)).status).to.equal(404);
      expect((await admin(server, "POST", "/tenants", { id })).status, "the id is not reused while leftovers exist").to.equal(409);

      expect(await finishTenantDeletions(pino({ level: "silent" }))).to.be.greaterThan(0);
      expect(await hasTenantLeftovers(id)).to.equal(false);
      expect((await admin(server, "POST", "/tenants", { id })).status).to.equal(201);
    });

    it("finishes a deletion cut short when DELETE is sent again [crash half-way through the purge]", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id });
      const issued = await admin(server, "POST", `/tenants/${id}/tokens`, { label: "idp" });
      expect((await request(`${server.url}/scim/v2/Users`, "POST", { token: issued.body.token, body: userBody("half.gone") })).status).to.equal(201);
      await markTenantDeleting(id, new Date());
      await TokenModel.deleteMany({ tenant: id }).exec();
      expect((await admin(server, "DELETE", `/tenants/${id}`)).status).to.equal(204);
      expect(await hasTenantLeftovers(id)).to.equal(false);
    });

    it("never lets a re-created tenant inherit documents left under its id [write racing a deletion]", async () => {
      const id = tenantId();
      await admin(server, "POST", "/tenants", { id });
      expect((await admin(server, "DELETE", `/tenants/${id}`)).status).to.equal(204);
      // a request authenticated before the deletion wrote its user after the purge
      await UserModel.collection.insertOne({ _id: `orphan-${id}`, tenant: id, userName: "orphan", userNameKey: "orphan", active: true, deletedAt: null, version: 1, emailKeys: [] } as never);
      expect((await admin(server, "POST", "/tenants", { id })).status).to.equal(201);
      const issued = await admin(server, "POST", `/tenants/${id}/tokens`, { label: "idp" });
      const listed = await request(`${server.url}/scim/v2/Users`, "GET", { token: issued.body.token });
      expect(listed.status).to.equal(200);
      expect(listed.body.totalResults).to.equal(0);
    });
  });
});
