import { expect } from "chai";
import { addCredential, auditOf, credentialsOf, giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, deactivate, getUser, groupLeaderOf, ledBy, managedBy, managerOf, memberIds } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import type { TestServer, TestTenant } from "../support/test-server";
import { ENTERPRISE, GROUP_MANAGER, USER_MANAGER } from "../support/urns";

interface Leader {
  tenant: TestTenant;
  boss: string;
  leader: string;
  reports: string[];
  group: string;
  spare: string;
  gone: string;
}

async function leaderWithTeam(server: TestServer): Promise<Leader> {
  const tenant = await freshTenant(server, "offb");
  const boss = (await createUser(tenant, "boss")).id;
  const leader = (await createUser(tenant, "leader", managedBy(boss))).id;
  const reports = [(await createUser(tenant, "r1", managedBy(leader))).id, (await createUser(tenant, "r2", managedBy(leader))).id, (await createUser(tenant, "r3", managedBy(leader))).id];
  const group = (await createGroup(tenant, "Team", [leader], ledBy(leader))).id;
  const spare = (await createUser(tenant, "spare")).id;
  const gone = (await createUser(tenant, "gone")).id;
  await deactivate(tenant, gone);
  return { tenant, boss, leader, reports, group, spare, gone };
}

describe("POST /admin/v1/tenants/:tenant/users/:id/deactivate|remove|reactivate", function () {
  this.timeout(60_000);
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("hands everything to one successor and records the reason and the choices [successor]", async () => {
    const t = await leaderWithTeam(server);
    // the administrator's actor, as every admin action records it (adminContext)
    await giveOwner(t.tenant, t.boss);
    const [ownerChange] = await auditOf(t.tenant, "action=owner.update");
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { successor: t.spare, reason: "left the company" });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ id: t.leader, active: false });
    for (const id of t.reports) expect(managerOf((await getUser(t.tenant, id)).body)).to.equal(t.spare);
    expect(await groupLeaderOf(t.tenant, t.group)).to.equal(t.spare);

    const [main] = await auditOf(t.tenant, `action=user.deactivate&target=${t.leader}`);
    expect(main).to.include({ actor: ownerChange.actor, reason: "left the company" });
    expect(main.choices).to.deep.equal({ successor: t.spare });
    const reassigned = await auditOf(t.tenant, "action=reports.reassign");
    expect(reassigned).to.have.length(4);
    for (const entry of reassigned) {
      expect(entry).to.include({ cause: t.leader, reason: "left the company", actor: ownerChange.actor });
      const path = entry.target === t.group ? GROUP_MANAGER : USER_MANAGER;
      expect(entry.after).to.deep.equal({ [path]: { value: t.spare } });
    }
  });

  it("applies per-report and per-group leads and the policy's default for the rest [reassign]", async () => {
    const t = await leaderWithTeam(server);
    const res = await t.tenant.admin("POST", `/users/${t.leader}/remove`, { reassign: { reports: { [t.reports[0]]: t.spare }, groups: { [t.group]: t.reports[1] } } });
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    expect(managerOf((await getUser(t.tenant, t.reports[0])).body)).to.equal(t.spare);
    // not named: the policy's manager-then-owner picks the leader's own manager
    expect(managerOf((await getUser(t.tenant, t.reports[1])).body)).to.equal(t.boss);
    expect(managerOf((await getUser(t.tenant, t.reports[2])).body)).to.equal(t.boss);
    expect(await groupLeaderOf(t.tenant, t.group)).to.equal(t.reports[1]);
    expect(await memberIds(t.tenant, t.group)).to.deep.equal([]);
    expect((await getUser(t.tenant, t.leader)).status).to.equal(404);
    const [main] = await auditOf(t.tenant, `action=user.remove&target=${t.leader}`);
    expect(main.choices).to.deep.equal({ reassign: { reports: { [t.reports[0]]: t.spare }, groups: { [t.group]: t.reports[1] } } });
    expect(main).to.not.have.property("reason");
  });

  it("offboards a blocked leader once everything is handed over [block]", async () => {
    const t = await leaderWithTeam(server);
    await givePolicy(t.tenant, { reassignReportsTo: "block" });
    const refused = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, {});
    expect(refused.status).to.equal(409);
    expect(refused.body.detail).to.contain("block");
    expect((await getUser(t.tenant, t.leader)).body.active).to.equal(true);
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { successor: t.boss, reassign: { reports: { [t.reports[2]]: t.spare } } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(managerOf((await getUser(t.tenant, t.reports[0])).body)).to.equal(t.boss);
    expect(managerOf((await getUser(t.tenant, t.reports[2])).body)).to.equal(t.spare);
  });

  it("answers 400 naming every bad lead and every key that is not a report or a group led, and changes nothing", async () => {
    const t = await leaderWithTeam(server);
    const otherGroup = (await createGroup(t.tenant, "Other", [], ledBy(t.boss))).id;
    const body = {
      successor: t.gone,
      reassign: {
        reports: { [t.reports[0]]: t.leader, [t.reports[1]]: "no-such-user", [t.reports[2]]: t.reports[2], [t.spare]: t.boss },
        groups: { [t.group]: t.gone, [otherGroup]: t.spare },
      },
    };
    for (const path of [`/users/${t.leader}/deactivate`, `/users/${t.leader}/remove`, `/users/${t.leader}/offboarding-plan?action=remove`]) {
      const res = await t.tenant.admin("POST", path, body);
      expect(res.status, path).to.equal(400);
      const paths = res.body.errors.map((e: any) => e.path);
      expect(paths).to.have.members([
        "/successor",
        `/reassign/reports/${t.reports[0]}`,
        `/reassign/reports/${t.reports[1]}`,
        `/reassign/reports/${t.reports[2]}`,
        `/reassign/reports/${t.spare}`,
        `/reassign/groups/${t.group}`,
        `/reassign/groups/${otherGroup}`,
      ]);
      for (const id of [t.gone, "no-such-user", t.spare, otherGroup]) expect(res.body.detail).to.contain(id);
    }
    expect((await getUser(t.tenant, t.leader)).body.active).to.equal(true);
    for (const id of t.reports) expect(managerOf((await getUser(t.tenant, id)).body)).to.equal(t.leader);
    expect(await auditOf(t.tenant, `target=${t.leader}`)).to.have.length(1); // user.create only
  });

  it("refuses choices that would make a manager cycle, and changes nothing [mutual reports, a report's report as successor]", async () => {
    const t = await leaderWithTeam(server);
    const [r1, r2] = t.reports;
    const mutual = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { reassign: { reports: { [r1]: r2, [r2]: r1 } } });
    expect(mutual.status, JSON.stringify(mutual.body)).to.equal(400);
    expect(mutual.body.errors.map((error: { path: string }) => error.path)).to.have.members([`/reassign/reports/${r1}`, `/reassign/reports/${r2}`]);
    const underling = (await createUser(t.tenant, "under-r1", managedBy(r1))).id;
    const below = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { successor: underling });
    expect(below.status, JSON.stringify(below.body)).to.equal(400);
    expect(below.body.errors).to.deep.equal([{ path: "/successor", message: `user ${underling} is below user ${r1} in the reporting line: leading them would make a manager cycle` }]);
    expect((await getUser(t.tenant, t.leader)).body.active).to.equal(true);
    for (const report of t.reports) expect(managerOf((await getUser(t.tenant, report)).body)).to.equal(t.leader);
  });

  it("refuses a lead from another tenant as not a user of this one [tenant isolation]", async () => {
    const t = await leaderWithTeam(server);
    const other = await freshTenant(server, "other");
    const stranger = (await createUser(other, "stranger")).id;
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { successor: stranger });
    expect(res.status).to.equal(400);
    expect(res.body.errors).to.deep.equal([{ path: "/successor", message: `user ${stranger} is not a user of this tenant` }]);
  });

  it("treats hostile keys as ids, never as object properties [__proto__, constructor]", async () => {
    const t = await leaderWithTeam(server);
    const raw = `{"reassign":{"reports":{"__proto__":"${t.spare}","constructor":"${t.spare}"},"groups":{"prototype":"${t.spare}"}}}`;
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, JSON.parse(raw));
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.errors.map((e: any) => e.path)).to.have.members(["/reassign/reports/__proto__", "/reassign/reports/constructor", "/reassign/groups/prototype"]);
    expect(({} as any).polluted).to.equal(undefined);
    expect((await getUser(t.tenant, t.leader)).body.active).to.equal(true);
  });

  it("answers 400 for a body that breaks the schema, listing each error", async () => {
    const t = await leaderWithTeam(server);
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { successor: 5, revokeApiKeys: "no", extra: true, reassign: { reports: { [t.reports[0]]: 1 } } });
    expect(res.status).to.equal(400);
    expect(res.body.errors.map((e: any) => e.path)).to.have.members(["/successor", "/revokeApiKeys", "/extra", `/reassign/reports/${t.reports[0]}`]);
    expect((await t.tenant.admin("POST", `/users/${t.leader}/reactivate`, { successor: t.spare })).status).to.equal(400);
  });

  it("keeps API keys when asked, whatever the policy [revokeApiKeys false]", async () => {
    const t = await leaderWithTeam(server);
    await addCredential(t.tenant, t.leader, "session");
    await addCredential(t.tenant, t.leader, "apiKey");
    const res = await t.tenant.admin("POST", `/users/${t.leader}/deactivate`, { revokeApiKeys: false });
    expect(res.status).to.equal(200);
    const credentials = await credentialsOf(t.tenant, t.leader);
    expect(credentials.find((c) => c.kind === "session")!.revokedAt).to.be.instanceOf(Date);
    expect(credentials.find((c) => c.kind === "apiKey")!.revokedAt).to.equal(null);
  });

  it("keeps the owner guard and the completeness check [owner guard, profile]", async () => {
    const t = await leaderWithTeam(server);
    await giveOwner(t.tenant, t.leader);
    const owner = await t.tenant.admin("POST", `/users/${t.leader}/remove`, { successor: t.spare });
    expect(owner.status).to.equal(400);
    expect(owner.body.detail).to.contain("transfer ownership first");
    await givePolicy(t.tenant, { requiredProfileFields: [`${ENTERPRISE}:department`] });
    const incomplete = await t.tenant.admin("POST", `/users/${t.spare}/deactivate`, {});
    expect(incomplete.status).to.equal(400);
    expect(incomplete.body.detail).to.contain(`${ENTERPRISE}:department`);
  });

  it("reactivates with a reason, and deactivating twice changes nothing [reactivate]", async () => {
    const t = await leaderWithTeam(server);
    expect((await t.tenant.admin("POST", `/users/${t.spare}/deactivate`, { reason: "on leave" })).status).to.equal(200);
    const again = await t.tenant.admin("POST", `/users/${t.spare}/deactivate`, { reason: "twice" });
    expect(again.status).to.equal(200);
    expect(again.body.active).to.equal(false);
    const back = await t.tenant.admin("POST", `/users/${t.spare}/reactivate`, { reason: "back from leave" });
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body.active).to.equal(true);
    const entries = await auditOf(t.tenant, `target=${t.spare}`);
    expect(entries.map((e) => [e.action, e.reason])).to.deep.equal([
      ["user.reactivate", "back from leave"],
      ["user.deactivate", "on leave"],
      ["user.create", undefined],
    ]);
  });

  it("answers 404 for an unknown or removed user [remove twice]", async () => {
    const t = await leaderWithTeam(server);
    expect((await t.tenant.admin("POST", `/users/${t.spare}/remove`, {})).status).to.equal(204);
    for (const action of ["deactivate", "remove", "reactivate"]) {
      expect((await t.tenant.admin("POST", `/users/${t.spare}/${action}`, {})).status, action).to.equal(404);
      expect((await t.tenant.admin("POST", `/users/nobody/${action}`, {})).status, action).to.equal(404);
    }
  });
});
