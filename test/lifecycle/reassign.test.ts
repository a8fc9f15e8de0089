import { expect } from "chai";
import { newTenant, startTestServer, type TestServer, type TestTenant } from "../support/test-server";
import { giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, deactivatePatch, getUser, groupLeaderOf, managedBy, managerOf, reactivatePatch, ledBy } from "../support/scim";
import { storedAuditOf, tokenIdOf } from "../support/store";
import { GROUP_MANAGER, USER_MANAGER } from "../support/urns";

interface Team {
  leader: any;
  reports: any[];
  group: any;
}

/** A leader with two direct reports and one group led (Roster Group extension). */
async function team(tenant: TestTenant, leaderExtra: Record<string, unknown> = {}): Promise<Team> {
  const leader = await createUser(tenant, "leader", leaderExtra);
  const reports = [await createUser(tenant, "report.one", managedBy(leader.id)), await createUser(tenant, "report.two", managedBy(leader.id))];
  const group = await createGroup(tenant, "Leader's team", reports.map((r) => r.id), ledBy(leader.id));
  return { leader, reports, group };
}

async function expectHandedTo(tenant: TestTenant, { leader, reports, group }: Team, successor: string | undefined): Promise<void> {
  for (const report of reports) expect(managerOf((await getUser(tenant, report.id)).body), `manager of ${report.userName}`).to.equal(successor);
  expect(await groupLeaderOf(tenant, group.id), "group leader").to.equal(successor);

  const entries = await storedAuditOf(tenant, { action: "reports.reassign" });
  expect(entries).to.have.length(reports.length + 1);
  const after = successor ? { value: successor } : null;
  for (const report of reports) {
    const forReport = entries.filter((entry) => entry.target === report.id);
    expect(forReport).to.have.length(1);
    expect(forReport[0].cause).to.equal(leader.id);
    expect(forReport[0].before).to.deep.equal({ [USER_MANAGER]: { value: leader.id } });
    expect(forReport[0].after).to.deep.equal({ [USER_MANAGER]: after });
  }
  const forGroup = entries.filter((entry) => entry.target === group.id);
  expect(forGroup).to.have.length(1);
  expect(forGroup[0].cause).to.equal(leader.id);
  expect(forGroup[0].before).to.deep.equal({ [GROUP_MANAGER]: { value: leader.id } });
  expect(forGroup[0].after).to.deep.equal({ [GROUP_MANAGER]: after });
}

/** SPEC §4 Deactivate 3 (seeds 001, 003): one successor takes over reports and groups led. */
describe("Team-leader reassignment over SCIM", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  describe("manager-then-owner (default)", () => {
    it("hands reports and groups to the leaver's active manager, audited per report and group", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      const res = await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch());
      expect(res.status).to.equal(200);
      await expectHandedTo(tenant, t, boss.id);
      const actor = await tokenIdOf(tenant);
      for (const entry of await storedAuditOf(tenant, { action: "reports.reassign" })) {
        expect(entry.actor).to.equal(actor);
        expect(entry.requestId).to.equal(res.headers.get("x-request-id"));
      }
      // the leaver keeps its own manager link (SPEC §4 Deactivate 5)
      expect(managerOf((await getUser(tenant, t.leader.id)).body)).to.equal(boss.id);
    });

    it("hands them to the owner when the leaver's manager is deactivated", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      const boss = await createUser(tenant, "boss", { active: false });
      const t = await team(tenant, managedBy(boss.id));
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, owner.id);
    });

    it("hands them to the owner when the leaver has no manager", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      const t = await team(tenant);
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, owner.id);
    });

    it("clears the reports' manager and the groups' leader with neither an active manager nor an owner", async () => {
      const tenant = await newTenant(server);
      const boss = await createUser(tenant, "boss", { active: false });
      const t = await team(tenant, managedBy(boss.id));
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, undefined);
    });

    it("keeps reports reassigned after the leader is reactivated", async () => {
      const tenant = await newTenant(server);
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, reactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, boss.id);
    });

    it("reassigns on a PUT with active:false too [PUT]", async () => {
      const tenant = await newTenant(server);
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      const current = (await getUser(tenant, t.leader.id)).body;
      expect((await tenant.scim("PUT", `/Users/${t.leader.id}`, { ...current, active: false })).status).to.equal(200);
      await expectHandedTo(tenant, t, boss.id);
    });
  });

  describe("owner", () => {
    it("hands reports and groups to the owner even with an active manager", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "owner" });
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, owner.id);
    });

    it("clears them when the tenant has no owner", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "owner" });
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      expect((await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch())).status).to.equal(200);
      await expectHandedTo(tenant, t, undefined);
    });
  });

  describe("block", () => {
    it("refuses deactivation with 409 listing the reports and groups, changing nothing", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "block" });
      const boss = await createUser(tenant, "boss");
      const t = await team(tenant, managedBy(boss.id));
      const res = await tenant.scim("PATCH", `/Users/${t.leader.id}`, deactivatePatch());
      expect(res.status).to.equal(409);
      for (const id of [...t.reports.map((r) => r.id), t.group.id]) expect(res.body.detail).to.include(id);
      expect((await getUser(tenant, t.leader.id)).body.active).to.equal(true);
      for (const report of t.reports) expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(t.leader.id);
      expect(await groupLeaderOf(tenant, t.group.id)).to.equal(t.leader.id);
      expect(await storedAuditOf(tenant, { action: "reports.reassign" })).to.have.length(0);
      expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
    });

    it("refuses removal the same way [DELETE]", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "block" });
      const t = await team(tenant);
      const res = await tenant.scim("DELETE", `/Users/${t.leader.id}`);
      expect(res.status).to.equal(409);
      for (const id of [...t.reports.map((r) => r.id), t.group.id]) expect(res.body.detail).to.include(id);
      expect((await getUser(tenant, t.leader.id)).status).to.equal(200);
    });

    it("refuses a leader of groups only [groups led]", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "block" });
      const leader = await createUser(tenant, "leader");
      const group = await createGroup(tenant, "Led", [], ledBy(leader.id));
      const res = await tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch());
      expect(res.status).to.equal(409);
      expect(res.body.detail).to.include(group.id);
    });

    it("lets the leader go once the reports are reassigned by the identity provider", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { reassignReportsTo: "block" });
      const boss = await createUser(tenant, "boss");
      const leader = await createUser(tenant, "leader");
      const report = await createUser(tenant, "report", managedBy(leader.id));
      expect((await tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch())).status).to.equal(409);
      // Entra's manager PATCH: a bare id string
      const moved = await tenant.scim("PATCH", `/Users/${report.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Add", path: USER_MANAGER, value: boss.id }] });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect((await tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch())).status).to.equal(200);
      expect(await storedAuditOf(tenant, { action: "reports.reassign" })).to.have.length(0);
    });
  });
});
