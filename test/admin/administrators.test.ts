import { expect } from "chai";
import fc from "fast-check";
import { hashToken } from "../../src/services/hash-token";
import { AdministratorModel } from "../../src/store/models";
import { admin, auditOf } from "../support/admin";
import { createGroup, createUserId, deactivatePatch, ledBy, managedBy } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { tenantAt, type TestServer, type TestTenant } from "../support/test-server";

/** Issue #13: named, scoped administrators with roles, and the audit saying who did it. */
describe("/admin/v1/administrators", () => {
  let server: TestServer;
  const created: string[] = [];

  before(async () => {
    server = await sharedTestServer();
  });
  afterEach(async () => {
    while (created.length) await admin(server, "DELETE", `/administrators/${created.pop()}`);
  });

  async function newAdministrator(body: Record<string, unknown>): Promise<{ id: string; token: string; name: string }> {
    const answer = await admin(server, "POST", "/administrators", body);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    created.push(answer.body.id);
    return answer.body;
  }

  describe("POST /administrators", () => {
    it("answers the administrator with its token once, and stores only the token's hash", async () => {
      const tenant = await freshTenant(server);
      const answer = await admin(server, "POST", "/administrators", { name: "Ada Admin", email: "ada@example.com", role: "manager", tenants: [tenant.id] });
      expect(answer.status).to.equal(201);
      created.push(answer.body.id);
      expect(answer.headers.get("cache-control")).to.equal("no-store");
      expect(answer.body).to.include({ name: "Ada Admin", email: "ada@example.com", role: "manager" });
      expect(answer.body.tenants).to.deep.equal([tenant.id]);
      expect(answer.body.token).to.match(/^rad_[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(answer.body.createdAt)).to.be.closeTo(Date.now(), 60_000);
      const stored = await AdministratorModel.findById(answer.body.id).lean().exec();
      expect(stored!.hash).to.equal(hashToken(answer.body.token));
      expect(JSON.stringify(stored)).to.not.include(answer.body.token);
      const listed = await admin(server, "GET", "/administrators");
      const mine = listed.body.administrators.find((entry: { id: string }) => entry.id === answer.body.id);
      expect(mine).to.include({ name: "Ada Admin", role: "manager" });
      expect(mine).to.not.have.any.keys("token", "hash");
      expect(JSON.stringify(listed.body)).to.not.include(answer.body.token);
    });

    it("returns 400 naming each problem [bad role, mixed scope, unknown tenant, extra field]", async () => {
      const tenant = await freshTenant(server);
      const cases: Array<[unknown, string]> = [
        [{ name: "x", role: "root", tenants: ["*"] }, "/role"],
        [{ name: "x", role: "viewer", tenants: ["*", tenant.id] }, "/tenants"],
        [{ name: "x", role: "viewer", tenants: ["no-such-tenant-here"] }, "/tenants/0"],
        [{ name: "x", role: "viewer", tenants: [] }, "/tenants"],
        [{ name: "x", role: "viewer", tenants: ["*"], token: "mine" }, "/token"],
        [{ role: "viewer", tenants: ["*"] }, "/name"],
      ];
      for (const [body, path] of cases) {
        const answer = await admin(server, "POST", "/administrators", body);
        expect(answer.status, JSON.stringify(body)).to.equal(400);
        expect(answer.body.errors.map((error: { path: string }) => error.path), JSON.stringify(body)).to.include(path);
      }
    });

    it("never answers 500 nor creates anything for a body it refuses [random bodies]", async () => {
      const before = await AdministratorModel.countDocuments().exec();
      const key = fc.constantFrom("name", "email", "role", "tenants", "__proto__", "constructor", "$where", "hash");
      const value = fc.oneof(fc.string(), fc.constantFrom("viewer", "owner", "*"), fc.array(fc.constantFrom("*", "default", "x", "__proto__")), fc.integer(), fc.constant(null), fc.object());
      await fc.assert(
        fc.asyncProperty(fc.dictionary(key, value), async (body) => {
          const answer = await admin(server, "POST", "/administrators", body);
          expect([201, 400], JSON.stringify(body)).to.include(answer.status);
          if (answer.status === 201) created.push(answer.body.id);
          else expect(await AdministratorModel.countDocuments().exec()).to.equal(before + created.length);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe("authentication as a named administrator", () => {
    it("GET /me names the administrator a token authenticates [root, named]", async () => {
      expect((await admin(server, "GET", "/me")).body).to.deep.equal({ id: "root", name: "root", role: "owner", tenants: ["*"] });
      const tenant = await freshTenant(server);
      const viewer = await newAdministrator({ name: "Vic Viewer", role: "viewer", tenants: [tenant.id] });
      expect((await admin(server, "GET", "/me", undefined, viewer.token)).body).to.deep.equal({ id: viewer.id, name: "Vic Viewer", role: "viewer", tenants: [tenant.id] });
    });

    it("GET /tenants lists only the tenants in scope", async () => {
      const mine = await freshTenant(server);
      const other = await freshTenant(server);
      const viewer = await newAdministrator({ name: "Scoped", role: "viewer", tenants: [mine.id] });
      const listed = (await admin(server, "GET", "/tenants", undefined, viewer.token)).body.tenants.map((tenant: { id: string }) => tenant.id);
      expect(listed).to.deep.equal([mine.id]);
      const all = (await admin(server, "GET", "/tenants")).body.tenants.map((tenant: { id: string }) => tenant.id);
      expect(all).to.include.members([mine.id, other.id]);
    });

    it("stops a deleted administrator's token at once", async () => {
      const tenant = await freshTenant(server);
      const manager = await newAdministrator({ name: "Gone Soon", role: "manager", tenants: [tenant.id] });
      expect((await admin(server, "GET", `/tenants/${tenant.id}/policy`, undefined, manager.token)).status).to.equal(200);
      expect((await admin(server, "DELETE", `/administrators/${manager.id}`)).status).to.equal(204);
      created.splice(created.indexOf(manager.id), 1);
      const after = await admin(server, "GET", `/tenants/${tenant.id}/policy`, undefined, manager.token);
      expect(after.status).to.equal(401);
      expect(after.headers.get("www-authenticate")).to.match(/^Bearer/);
      expect((await admin(server, "DELETE", `/administrators/${manager.id}`)).status).to.equal(404);
    });

    it("applies a changed role or scope with the next request", async () => {
      const first = await freshTenant(server);
      const second = await freshTenant(server);
      const someone = await newAdministrator({ name: "Mover", role: "viewer", tenants: [first.id] });
      expect((await admin(server, "POST", `/tenants/${first.id}/tokens`, {}, someone.token)).status).to.equal(403);
      const promoted = await admin(server, "PUT", `/administrators/${someone.id}`, { role: "manager" });
      expect(promoted.status).to.equal(200);
      expect(promoted.body).to.include({ role: "manager", name: "Mover" });
      expect((await admin(server, "POST", `/tenants/${first.id}/tokens`, {}, someone.token)).status).to.equal(201);
      expect((await admin(server, "PUT", `/administrators/${someone.id}`, { tenants: [second.id] })).status).to.equal(200);
      expect((await admin(server, "GET", `/tenants/${first.id}/policy`, undefined, someone.token)).status).to.equal(404);
      expect((await admin(server, "GET", `/tenants/${second.id}/policy`, undefined, someone.token)).status).to.equal(200);
    });

    it("PUT answers 404 for an unknown administrator and 400 for an empty or bad change", async () => {
      expect((await admin(server, "PUT", "/administrators/no-such-admin", { role: "viewer" })).status).to.equal(404);
      const someone = await newAdministrator({ name: "Steady", role: "viewer", tenants: ["*"] });
      expect((await admin(server, "PUT", `/administrators/${someone.id}`, {})).status).to.equal(400);
      expect((await admin(server, "PUT", `/administrators/${someone.id}`, { role: "god" })).status).to.equal(400);
      expect((await admin(server, "GET", "/me", undefined, someone.token)).body.role).to.equal("viewer");
    });

    it("lets only owners of every tenant manage administrators [scoped owner refused with the role named]", async () => {
      const tenant = await freshTenant(server);
      const scopedOwner = await newAdministrator({ name: "Tenant Owner", role: "owner", tenants: [tenant.id] });
      const answer = await admin(server, "POST", "/administrators", { name: "Sneaky", role: "owner", tenants: ["*"] }, scopedOwner.token);
      expect(answer.status).to.equal(403);
      expect(answer.body).to.include({ status: 403 });
      expect(answer.body.detail).to.include('needs the owner role of all tenants (tenants ["*"])');
      const star = await newAdministrator({ name: "Chief", role: "owner", tenants: ["*"] });
      const made = await admin(server, "POST", "/administrators", { name: "Made By Chief", role: "viewer", tenants: [tenant.id] }, star.token);
      expect(made.status).to.equal(201);
      created.push(made.body.id);
    });
  });

  describe("accountability", () => {
    let tenant: TestTenant;
    beforeEach(async () => {
      tenant = await freshTenant(server);
    });

    it("names the manager who issued the SCIM token that deactivated a user, and the token by its label", async () => {
      const manager = await newAdministrator({ name: "Mia Manager", role: "manager", tenants: [tenant.id] });
      const issued = await admin(server, "POST", `/tenants/${tenant.id}/tokens`, { label: "okta-prod" }, manager.token);
      expect(issued.status).to.equal(201);
      const okta = tenantAt(server.url, tenant.id, issued.body.token);
      const boss = await createUserId(okta, "boss");
      const userId = await createUserId(okta, "leaver", managedBy(boss));
      const report = await createUserId(okta, "report", managedBy(userId));
      await createGroup(okta, "leavers-team", [userId, report], ledBy(userId));
      expect((await okta.scim("PATCH", `/Users/${userId}`, deactivatePatch())).status).to.equal(200);

      const deactivation = (await auditOf(tenant, `action=user.deactivate&target=${userId}`))[0];
      expect(deactivation).to.include({ actor: issued.body.id, actorName: "okta-prod" });
      const issue = (await auditOf(tenant, `action=token.create&target=${issued.body.id}`))[0];
      expect(issue).to.include({ actor: `admin:${manager.id}`, actorName: "Mia Manager" });

      // the name is the one of that moment: renaming or deleting the administrator later keeps it
      expect((await admin(server, "PUT", `/administrators/${manager.id}`, { name: "Mia Renamed" })).status).to.equal(200);
      expect((await admin(server, "DELETE", `/administrators/${manager.id}`)).status).to.equal(204);
      created.splice(created.indexOf(manager.id), 1);
      const byManager = await auditOf(tenant, `actor=${encodeURIComponent(`admin:${manager.id}`)}`);
      expect(byManager.map((entry) => [entry.action, entry.actorName])).to.deep.equal([["token.create", "Mia Manager"]]);
      // the cascade's entries (the report and the group handed over) name the same actor
      const byToken = await auditOf(tenant, `actor=${issued.body.id}`);
      expect(byToken.map((entry) => entry.action)).to.include.members(["user.create", "group.create", "user.deactivate", "reports.reassign"]);
      expect(byToken.filter((entry) => entry.action === "reports.reassign").map((entry) => entry.target)).to.include.members([report]);
      expect(byToken.filter((entry) => entry.actorName !== "okta-prod")).to.deep.equal([]);
      expect(await auditOf(tenant, "actor=admin:root")).to.deep.equal([]);
    });

    it("names the manager who deactivated a leader through the admin API, on the deactivation and every hand-over [seed 001]", async () => {
      const manager = await newAdministrator({ name: "Mia Manager", role: "manager", tenants: [tenant.id] });
      const boss = await createUserId(tenant, "boss");
      const leader = await createUserId(tenant, "leader", managedBy(boss));
      const reports = [await createUserId(tenant, "report-a", managedBy(leader)), await createUserId(tenant, "report-b", managedBy(leader))];
      const answer = await admin(server, "POST", `/tenants/${tenant.id}/users/${leader}/deactivate`, { successor: boss, reason: "left the company" }, manager.token);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);

      const deactivation = (await auditOf(tenant, `action=user.deactivate&target=${leader}`))[0];
      expect(deactivation).to.include({ actor: `admin:${manager.id}`, actorName: "Mia Manager", reason: "left the company" });
      const handovers = await auditOf(tenant, "action=reports.reassign");
      expect(handovers.map((entry) => entry.target)).to.have.members(reports);
      expect(handovers.filter((entry) => entry.actor !== `admin:${manager.id}` || entry.actorName !== "Mia Manager")).to.deep.equal([]);
    });

    it("audits each admin action as admin:<id> with the name, and the bootstrap token as admin:root", async () => {
      const owner = await newAdministrator({ name: "Olga Owner", role: "owner", tenants: [tenant.id] });
      expect((await admin(server, "PUT", `/tenants/${tenant.id}/policy`, { seatLimit: 3 }, owner.token)).status).to.equal(200);
      expect((await admin(server, "PUT", `/tenants/${tenant.id}/policy`, { seatLimit: 4 })).status).to.equal(200);
      const entries = await auditOf(tenant, "action=policy.update");
      expect(entries.map((entry) => [entry.actor, entry.actorName])).to.deep.equal([["admin:root", "root"], [`admin:${owner.id}`, "Olga Owner"]]);
      const filtered = await auditOf(tenant, "actor=admin:root");
      expect(filtered.map((entry) => entry.after)).to.deep.equal([{ seatLimit: 4 }]);
    });

    it("lets a scoped viewer read the audit of its tenant only", async () => {
      const viewer = await newAdministrator({ name: "Reader", role: "viewer", tenants: [tenant.id] });
      const other = await freshTenant(server);
      expect((await admin(server, "GET", `/tenants/${tenant.id}/audit`, undefined, viewer.token)).status).to.equal(200);
      const hidden = await admin(server, "GET", `/tenants/${other.id}/audit`, undefined, viewer.token);
      expect(hidden.status).to.equal(404);
      expect(hidden.body).to.deep.equal({ status: 404, detail: `Tenant ${other.id} not found`, errors: [] });
    });
  });
});
