import { expect } from "chai";
import { newTenant, startTestServer, userBody, type TestServer, type TestTenant } from "../support/test-server";
import { givePolicy } from "../support/admin";
import { createGroup, createUser, deactivatePatch, getUser, managedBy, managerOf, ledBy } from "../support/scim";
import { storedAuditOf } from "../support/store";
import { BULK_REQUEST, ENTERPRISE } from "../support/urns";

async function bulk(tenant: TestTenant, operations: Array<Record<string, unknown>>, failOnErrors?: number): Promise<any[]> {
  const res = await tenant.scim("POST", "/Bulk", { schemas: [BULK_REQUEST], ...(failOnErrors === undefined ? {} : { failOnErrors }), Operations: operations });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.Operations;
}

/** SPEC §4 Bulk (seed 003): the same rules per operation; team leaders are offboarded one by one. */
describe("POST /Bulk lifecycle", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("resolves bulkId references in a manager and in group members", async () => {
    const tenant = await newTenant(server);
    const results = await bulk(tenant, [
      { method: "POST", path: "/Users", bulkId: "boss", data: userBody("boss") },
      { method: "POST", path: "/Users", bulkId: "rep", data: userBody("rep", { [ENTERPRISE]: { manager: { value: "bulkId:boss" } } }) },
      { method: "POST", path: "/Groups", bulkId: "team", data: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Team", members: [{ value: "bulkId:rep" }] } },
    ]);
    expect(results.map((r) => String(r.status))).to.deep.equal(["201", "201", "201"]);
    const [bossId, repId, groupId] = results.map((r) => String(r.location).split("/").pop());
    expect(managerOf((await getUser(tenant, repId!)).body)).to.equal(bossId);
    const group = await tenant.scim("GET", `/Groups/${groupId}`);
    expect(group.body.members.map((m: any) => m.value)).to.deep.equal([repId]);
  });

  it("refuses to deactivate a team leader with 409 while the other operations succeed [policy owner]", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { reassignReportsTo: "owner" });
    const before = await createUser(tenant, "before");
    const leader = await createUser(tenant, "leader");
    const report = await createUser(tenant, "report", managedBy(leader.id));
    const after = await createUser(tenant, "after");
    const results = await bulk(tenant, [
      { method: "PATCH", path: `/Users/${before.id}`, data: deactivatePatch() },
      { method: "PATCH", path: `/Users/${leader.id}`, data: deactivatePatch() },
      { method: "PATCH", path: `/Users/${after.id}`, data: deactivatePatch() },
    ]);
    expect(results.map((r) => String(r.status))).to.deep.equal(["200", "409", "200"]);
    expect(results[1].response.detail).to.include(report.id);
    expect((await getUser(tenant, before.id)).body.active).to.equal(false);
    expect((await getUser(tenant, leader.id)).body.active).to.equal(true);
    expect((await getUser(tenant, after.id)).body.active).to.equal(false);
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(leader.id);
    expect((await storedAuditOf(tenant, { action: "user.deactivate" })).map((e) => e.target)).to.have.members([before.id, after.id]);
  });

  it("refuses to remove a leader of groups inside a bulk request [DELETE]", async () => {
    const tenant = await newTenant(server);
    const leader = await createUser(tenant, "leader");
    const plain = await createUser(tenant, "plain");
    const group = await createGroup(tenant, "Led", [], ledBy(leader.id));
    const results = await bulk(tenant, [
      { method: "DELETE", path: `/Users/${leader.id}` },
      { method: "DELETE", path: `/Users/${plain.id}` },
    ]);
    expect(results.map((r) => String(r.status))).to.deep.equal(["409", "204"]);
    expect(results[0].response.detail).to.include(group.id);
    expect((await getUser(tenant, leader.id)).status).to.equal(200);
    expect((await getUser(tenant, plain.id)).status).to.equal(404);
  });

  it("stops after failOnErrors errors", async () => {
    const tenant = await newTenant(server);
    const leader = await createUser(tenant, "leader");
    await createUser(tenant, "report", managedBy(leader.id));
    const untouched = await createUser(tenant, "untouched");
    const results = await bulk(
      tenant,
      [
        { method: "PATCH", path: `/Users/${leader.id}`, data: deactivatePatch() },
        { method: "PATCH", path: `/Users/${untouched.id}`, data: deactivatePatch() },
      ],
      1,
    );
    expect(results.map((r) => String(r.status))).to.deep.equal(["409"]);
    expect((await getUser(tenant, untouched.id)).body.active).to.equal(true);
  });

  it("applies the other rules per operation [incomplete profile]", async () => {
    const tenant = await newTenant(server);
    const department = `${ENTERPRISE}:department`;
    await givePolicy(tenant, { requiredProfileFields: [department] });
    const incomplete = await createUser(tenant, "incomplete");
    const complete = await createUser(tenant, "complete", { [ENTERPRISE]: { department: "Ops" } });
    const results = await bulk(tenant, [
      { method: "PATCH", path: `/Users/${incomplete.id}`, data: deactivatePatch() },
      { method: "PATCH", path: `/Users/${complete.id}`, data: deactivatePatch() },
    ]);
    expect(results.map((r) => String(r.status))).to.deep.equal(["400", "200"]);
    expect(results[0].response.scimType).to.equal("invalidValue");
    expect(results[0].response.detail).to.include(department);
  });
});

/** SPEC §4 Seats (seed 002). */
describe("Seats over SCIM", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("refuses a create beyond seatLimit with 403; deactivated users keep their seat, removed ones free it", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { seatLimit: 2 });
    const first = await createUser(tenant, "first");
    await createUser(tenant, "second");
    const third = await tenant.scim("POST", "/Users", userBody("third"));
    expect(third.status).to.equal(403);
    expect(third.body.detail).to.match(/no seat/i);

    expect((await tenant.scim("PATCH", `/Users/${first.id}`, deactivatePatch())).status).to.equal(200);
    expect((await tenant.scim("POST", "/Users", userBody("third"))).status).to.equal(403);

    expect((await tenant.scim("DELETE", `/Users/${first.id}`)).status).to.equal(204);
    expect((await tenant.scim("POST", "/Users", userBody("third"))).status).to.equal(201);
    expect((await tenant.scim("POST", "/Users", userBody("fourth"))).status).to.equal(403);
    expect((await tenant.scim("GET", "/Users")).body.totalResults).to.equal(2);
  });

  it("counts a user created deactivated [active:false]", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { seatLimit: 1 });
    expect((await tenant.scim("POST", "/Users", userBody("dormant", { active: false }))).status).to.equal(201);
    expect((await tenant.scim("POST", "/Users", userBody("newcomer"))).status).to.equal(403);
  });

  it("never goes over the limit with concurrent creates", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { seatLimit: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => tenant.scim("POST", "/Users", userBody(`racer${i}`))));
    const created = results.filter((r) => r.status === 201).length;
    expect(results.every((r) => r.status === 201 || r.status === 403)).to.equal(true);
    expect(created).to.be.at.most(3).and.at.least(1);
    expect((await tenant.scim("GET", "/Users")).body.totalResults).to.equal(created);
  });
});
