import { expect } from "chai";
import fc from "fast-check";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { admin } from "../support/admin";
import { createGroup, createUserId, deactivate, ledBy, managedBy, remove } from "../support/scim";
import type { TestServer, TestTenant } from "../support/test-server";

/** GET /admin/v1/tenants/{t}/users and …/users/{id}: the console's people, by the SCIM list and read code. */
describe("/admin/v1/tenants/:tenant/users (people for the console)", () => {
  let server: TestServer;
  let tenant: TestTenant;
  before(async () => {
    server = await sharedTestServer();
  });
  beforeEach(async () => {
    tenant = await freshTenant(server, "people");
  });

  async function seed(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await createUserId(tenant, `person${String(i).padStart(2, "0")}`, { displayName: `Person ${i}` }));
    return ids;
  }

  it("answers the same users and totals as /scim/v2/Users for the same filter and cursor", async () => {
    await seed(6);
    const filter = encodeURIComponent('userName sw "person0" and active eq true');
    const scim = await tenant.scim("GET", `/Users?filter=${filter}&count=4&cursor=&sortBy=userName`);
    const ours = await tenant.admin("GET", `/users?filter=${filter}&count=4&sortBy=userName`);
    expect(ours.status, JSON.stringify(ours.body)).to.equal(200);
    expect(ours.body.totalResults).to.equal(6).and.equal(scim.body.totalResults);
    expect(ours.body.Resources.map((user: any) => user.id)).to.deep.equal(scim.body.Resources.map((user: any) => user.id));
    expect(ours.body.Resources.map((user: any) => user.userName)).to.deep.equal(["person00", "person01", "person02", "person03"]);
    expect(ours.body.nextCursor).to.be.a("string");
  });

  it("walks every matching user exactly once by nextCursor, the last page without one", async () => {
    const ids = await seed(7);
    await deactivate(tenant, ids[2]);
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const res = await tenant.admin("GET", `/users?count=3&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.totalResults).to.equal(7);
      seen.push(...res.body.Resources.map((user: any) => user.id));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect([...seen].sort()).to.deep.equal([...ids].sort());
    const deactivated = await tenant.admin("GET", `/users?filter=${encodeURIComponent("active eq false")}`);
    expect(deactivated.body.Resources.map((user: any) => user.id)).to.deep.equal([ids[2]]);
  });

  it("refuses a bad filter or cursor with the admin error body, and an unknown tenant with 404", async () => {
    const filter = await tenant.admin("GET", `/users?filter=${encodeURIComponent('userName zz "x"')}`);
    expect(filter.status).to.equal(400);
    expect(filter.body).to.have.keys("status", "detail", "errors");
    const cursor = await tenant.admin("GET", "/users?cursor=not-a-cursor");
    expect(cursor.status).to.equal(400);
    expect((await admin(server, "GET", "/tenants/no-such-tenant/users")).status).to.equal(404);
    expect((await admin(server, "GET", `/tenants/${tenant.id}/users`, undefined, "wrong-token")).status).to.equal(401);
  });

  it("answers any filter text as /scim/v2/Users does: same status, never a 500", async () => {
    await seed(2);
    const pieces = fc.constantFrom("userName", "emails.value", "active", "name.familyName", "eq", "sw", "co", "pr", "and", "or", "not", "(", ")", '"person"', "true", "[", "]", '"', "\\", " ");
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 7 }).map((words) => words.join(" ")), async (text) => {
        const filter = encodeURIComponent(text);
        const [ours, scim] = await Promise.all([tenant.admin("GET", `/users?filter=${filter}`), tenant.scim("GET", `/Users?filter=${filter}&cursor=`)]);
        expect(ours.status, `${text}: ${JSON.stringify(ours.body)}`).to.equal(scim.status).and.be.below(500);
        if (ours.status === 200) expect(ours.body.totalResults).to.equal(scim.body.totalResults);
      }),
      { numRuns: 40 },
    );
  });

  it("reads a person with their manager, reports and the groups they belong to or lead", async () => {
    const boss = await createUserId(tenant, "boss", { displayName: "The Boss" });
    const lead = await createUserId(tenant, "lead", managedBy(boss));
    const reportA = await createUserId(tenant, "report.a", managedBy(lead));
    const reportB = await createUserId(tenant, "report.b", managedBy(lead));
    const gone = await createUserId(tenant, "report.gone", managedBy(lead));
    await remove(tenant, gone);
    const team = await createGroup(tenant, "Team", [lead, reportA], ledBy(lead));
    const led = await createGroup(tenant, "Led only", [reportB], ledBy(lead));
    const member = await createGroup(tenant, "Member only", [lead]);

    const res = await tenant.admin("GET", `/users/${lead}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.user.id).to.equal(lead);
    expect(res.body.user.userName).to.equal("lead");
    expect(res.body.manager).to.deep.equal({ id: boss, userName: "boss", displayName: "The Boss", active: true });
    expect(res.body.reports.map((report: any) => report.id)).to.deep.equal([reportA, reportB]);
    expect(res.body.groups).to.deep.equal([
      { id: led.id, displayName: "Led only", member: false, leads: true },
      { id: member.id, displayName: "Member only", member: true, leads: false },
      { id: team.id, displayName: "Team", member: true, leads: true },
    ]);
    const alone = await tenant.admin("GET", `/users/${reportA}`);
    expect(alone.body.manager.id).to.equal(lead);
    expect(alone.body.reports).to.deep.equal([]);
  });

  it("reads a deactivated person, and answers 404 for a removed or unknown one", async () => {
    const [kept, gone] = await seed(2);
    await deactivate(tenant, kept);
    const deactivated = await tenant.admin("GET", `/users/${kept}`);
    expect(deactivated.status).to.equal(200);
    expect(deactivated.body.user.active).to.equal(false);
    await remove(tenant, gone);
    expect((await tenant.admin("GET", `/users/${gone}`)).status).to.equal(404);
    const unknown = await tenant.admin("GET", "/users/no-such-user");
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.have.keys("status", "detail", "errors");
  });
});
