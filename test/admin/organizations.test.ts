import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { admin } from "../support/admin";
import { createUserId, remove } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { newTenant, type TestServer, type TestTenant } from "../support/test-server";

/** Issue #11 part 3: organizations, tenants attached to them, and GET /seats reporting both pools. */
describe("/admin/v1/organizations", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  const newId = () => `org-${randomUUID().slice(0, 8)}`;
  async function newOrganization(body: Record<string, unknown> = {}): Promise<string> {
    const id = newId();
    const res = await admin(server, "POST", "/organizations", { id, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return id;
  }
  async function attach(tenant: TestTenant, organizationId: string | null): Promise<void> {
    const res = await tenant.admin("PUT", "/organization", { organizationId });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ organizationId });
  }

  it("creates an organization with defaults, then reads, lists and replaces it", async () => {
    const id = newId();
    const created = await admin(server, "POST", "/organizations", { id });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.equal({ id, name: id, seatLimit: null, used: 0, tenants: [] });
    expect((await admin(server, "GET", `/organizations/${id}`)).body).to.deep.equal(created.body);
    const listed = await admin(server, "GET", "/organizations");
    expect(listed.status).to.equal(200);
    expect(listed.body.organizations.find((o: { id: string }) => o.id === id)).to.deep.equal(created.body);

    const replaced = await admin(server, "PUT", `/organizations/${id}`, { name: "Acme", seatLimit: 5 });
    expect(replaced.status).to.equal(200);
    expect(replaced.body).to.deep.equal({ id, name: "Acme", seatLimit: 5, used: 0, tenants: [] });
    const reset = await admin(server, "PUT", `/organizations/${id}`, {});
    expect(reset.body, "a PUT replaces: omitted fields take their defaults").to.deep.equal({ id, name: id, seatLimit: null, used: 0, tenants: [] });
  });

  it("returns 409 for an id that exists and 404 for an unknown one", async () => {
    const id = await newOrganization({ name: "First" });
    const again = await admin(server, "POST", "/organizations", { id, name: "Second" });
    expect(again.status).to.equal(409);
    expect(again.body.status).to.equal(409);
    expect((await admin(server, "GET", `/organizations/${id}`)).body.name, "the first one is untouched").to.equal("First");
    for (const [method, body] of [["GET", undefined], ["PUT", {}], ["DELETE", undefined]] as const) {
      const missing = await admin(server, method, `/organizations/${newId()}`, body);
      expect(missing.status, method).to.equal(404);
      expect(missing.body.detail, method).to.match(/Organization .* not found/);
    }
  });

  it("refuses bad payloads with 400 naming each path, creating nothing", async () => {
    const id = newId();
    const cases: Array<[unknown, string[]]> = [
      [{}, ["/id"]],
      [{ id: "Not Valid" }, ["/id"]],
      [{ id, seatLimit: -1 }, ["/seatLimit"]],
      [{ id, seatLimit: "5" }, ["/seatLimit"]],
      [{ id, seatLimit: 1.5 }, ["/seatLimit"]],
      [{ id, name: "" }, ["/name"]],
      [{ id, extra: true, seatLimit: "x" }, ["/extra", "/seatLimit"]],
      [`{"id":"${id}","__proto__":{"seatLimit":1},"constructor":1}`, ["/__proto__", "/constructor"]],
      [[id], ["/"]],
    ];
    for (const [body, paths] of cases) {
      const res = await admin(server, "POST", "/organizations", body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.errors.map((e: { path: string }) => e.path || "/"), JSON.stringify(body)).to.include.members(paths);
    }
    expect((await admin(server, "GET", `/organizations/${id}`)).status, "no case created it").to.equal(404);
    const org = await newOrganization({ seatLimit: 3 });
    const bad = await admin(server, "PUT", `/organizations/${org}`, { seatLimit: null, name: 7 });
    expect(bad.status).to.equal(400);
    expect((await admin(server, "GET", `/organizations/${org}`)).body.seatLimit, "a refused PUT changes nothing").to.equal(3);
  });

  it("attaches and detaches a tenant, and refuses an unknown organization or bad body", async () => {
    const tenant = await freshTenant(server);
    const org = await newOrganization();
    expect((await tenant.admin("GET", "/organization")).body).to.deep.equal({ organizationId: null });
    await attach(tenant, org);
    expect((await tenant.admin("GET", "/organization")).body).to.deep.equal({ organizationId: org });
    expect((await admin(server, "GET", `/organizations/${org}`)).body.tenants).to.deep.equal([tenant.id]);

    const unknown = await tenant.admin("PUT", "/organization", { organizationId: newId() });
    expect(unknown.status).to.equal(404);
    for (const body of [{}, { organizationId: 5 }, { organizationId: "UPPER" }, { organizationId: org, more: 1 }]) {
      const res = await tenant.admin("PUT", "/organization", body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await tenant.admin("GET", "/organization")).body, "refusals change nothing").to.deep.equal({ organizationId: org });
    await attach(tenant, null);
    expect((await admin(server, "GET", `/organizations/${org}`)).body.tenants).to.deep.equal([]);
    const ghost = await admin(server, "PUT", "/tenants/no-such-tenant-xyz/organization", { organizationId: org });
    expect(ghost.status).to.equal(404);
  });

  it("refuses to delete an organization while a tenant is attached (409), deletes it once detached", async () => {
    const tenant = await freshTenant(server);
    const org = await newOrganization();
    await attach(tenant, org);
    const refused = await admin(server, "DELETE", `/organizations/${org}`);
    expect(refused.status).to.equal(409);
    expect(refused.body.detail).to.include(tenant.id);
    expect((await admin(server, "GET", `/organizations/${org}`)).status, "still there").to.equal(200);
    await attach(tenant, null);
    expect((await admin(server, "DELETE", `/organizations/${org}`)).status).to.equal(204);
    expect((await admin(server, "GET", `/organizations/${org}`)).status).to.equal(404);
    expect((await admin(server, "DELETE", `/organizations/${org}`)).status).to.equal(404);
  });

  it("reports the tenant's and the organization's seats in GET /seats", async () => {
    const first = await freshTenant(server);
    const second = await freshTenant(server);
    expect((await first.admin("GET", "/seats")).body).to.deep.equal({ limit: null, used: 0, organization: null });
    await createUserId(first, "Ann.Shared");
    await createUserId(first, "only.first");
    await createUserId(second, "ann.shared");
    const org = await newOrganization({ seatLimit: 10 });
    await attach(first, org);
    expect((await first.admin("GET", "/seats")).body).to.deep.equal({ limit: null, used: 2, organization: { id: org, limit: 10, used: 2 } });
    await attach(second, org);
    expect((await second.admin("GET", "/seats")).body, "Ann is one person in both tenants").to.deep.equal({ limit: null, used: 1, organization: { id: org, limit: 10, used: 2 } });
    await attach(first, null);
    expect((await second.admin("GET", "/seats")).body.organization, "detaching frees the seats no other tenant holds").to.deep.equal({ id: org, limit: 10, used: 1 });
    expect((await first.admin("GET", "/seats")).body.organization).to.equal(null);
  });

  it("frees a deleted tenant's seats in its organization", async () => {
    const first = await freshTenant(server);
    // deleted by the test itself through the API, not by the shared hook
    const second = await newTenant(server);
    const org = await newOrganization();
    await attach(first, org);
    await attach(second, org);
    await createUserId(first, "both");
    await createUserId(second, "both");
    const goner = await createUserId(second, "second.only");
    await createUserId(second, "gone.soon");
    await remove(second, goner);
    expect((await admin(server, "GET", `/organizations/${org}`)).body.used).to.equal(2);
    expect((await admin(server, "DELETE", `/tenants/${second.id}`)).status).to.equal(204);
    const after = (await admin(server, "GET", `/organizations/${org}`)).body;
    expect(after.used).to.equal(1);
    expect(after.tenants).to.deep.equal([first.id]);
  });
});
