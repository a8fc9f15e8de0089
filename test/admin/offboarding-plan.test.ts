import { expect } from "chai";
import type { Policy } from "../../src/domain/types";
import { addCredential, auditOf, credentialsOf, giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, deactivate, deactivatePatch, getUser, groupLeaderOf, ledBy, managedBy, managerOf, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { storedCredentialsOf } from "../support/store";
import type { TestServer, TestTenant } from "../support/test-server";
import { ENTERPRISE } from "../support/urns";

/** A leader with a manager, two reports, two groups led, a group they only belong to, a session and an API key. */
interface Team {
  tenant: TestTenant;
  boss: string;
  owner: string;
  leader: string;
  reports: string[];
  /** groups led by the leader; the first has the leader as a member */
  led: string[];
  /** a group the leader belongs to and does not lead */
  member: string;
  /** an active user who leads nobody, and a deactivated one */
  spare: string;
  gone: string;
}

async function buildTeam(server: TestServer, options: { owner?: "set" | "leader" | "none"; bossActive?: boolean } = {}): Promise<Team> {
  const tenant = await freshTenant(server, "plan");
  const boss = (await createUser(tenant, "boss")).id;
  const owner = (await createUser(tenant, "owner")).id;
  const leader = (await createUser(tenant, "leader", managedBy(boss))).id;
  const reports = [(await createUser(tenant, "report1", managedBy(leader))).id, (await createUser(tenant, "report2", managedBy(leader))).id];
  const led = [(await createGroup(tenant, "Led with leader", [leader, reports[0]], ledBy(leader))).id, (await createGroup(tenant, "Led", [reports[1]], ledBy(leader))).id];
  const member = (await createGroup(tenant, "Member of", [leader], ledBy(boss))).id;
  const spare = (await createUser(tenant, "spare")).id;
  const gone = (await createUser(tenant, "gone")).id;
  await deactivate(tenant, gone);
  await addCredential(tenant, leader, "session");
  await addCredential(tenant, leader, "apiKey");
  const ownerChoice = options.owner ?? "set";
  if (ownerChoice !== "none") await giveOwner(tenant, ownerChoice === "leader" ? leader : owner);
  if (options.bossActive === false) await deactivate(tenant, boss);
  return { tenant, boss, owner, leader, reports, led, member, spare, gone };
}

interface Snapshot {
  active: boolean | "removed";
  managers: Record<string, string | null>;
  leaders: Record<string, string | null>;
  /** groups (of led and member) that list the leader */
  memberOf: string[];
  revoked: string[];
  unrevoked: string[];
  seatsUsed: number;
}

async function snapshot(team: Team): Promise<Snapshot> {
  const { tenant } = team;
  const user = await getUser(tenant, team.leader);
  const managers: Record<string, string | null> = {};
  for (const id of team.reports) managers[id] = managerOf((await getUser(tenant, id)).body) ?? null;
  const leaders: Record<string, string | null> = {};
  for (const id of team.led) leaders[id] = (await groupLeaderOf(tenant, id)) ?? null;
  const memberOf: string[] = [];
  for (const id of [...team.led, team.member]) if ((await memberIds(tenant, id)).includes(team.leader)) memberOf.push(id);
  const credentials = await storedCredentialsOf(tenant, team.leader);
  const seats = await tenant.admin("GET", "/seats");
  return {
    active: user.status === 404 ? "removed" : user.body.active,
    managers,
    leaders,
    memberOf: memberOf.sort(),
    revoked: credentials.filter((c) => c.revokedAt).map((c) => c.id).sort(),
    unrevoked: credentials.filter((c) => !c.revokedAt).map((c) => c.id).sort(),
    seatsUsed: seats.body.used,
  };
}

/** What the plan says the state will be once the offboarding ran: computed from the plan alone. */
function expectedFrom(plan: any, before: Snapshot): Snapshot {
  if (!plan.allowed) return before;
  const managers = { ...before.managers };
  for (const report of plan.reports) managers[report.id] = report.newManager;
  const leaders = { ...before.leaders };
  for (const group of plan.groups) leaders[group.id] = group.newLeader;
  const revoked = [...before.revoked, ...plan.sessions.revoked, ...plan.apiKeys.revoked].sort();
  return {
    active: plan.action === "remove" ? "removed" : false,
    managers,
    leaders,
    memberOf: before.memberOf.filter((id) => !plan.memberships.dropped.includes(id)),
    revoked,
    unrevoked: before.unrevoked.filter((id) => !revoked.includes(id)),
    seatsUsed: before.seatsUsed - (plan.seats.freed ? 1 : 0),
  };
}

type Via = "scim" | "admin";

/** Plans, then offboards (through SCIM without choices, or the admin API), and compares the plan with what happened. */
async function planThenOffboard(team: Team, action: "deactivate" | "remove", choices: Record<string, unknown> | null, via: Via): Promise<any> {
  const { tenant } = team;
  const planned = choices === null ? await tenant.admin("GET", `/users/${team.leader}/offboarding-plan?action=${action}`) : await tenant.admin("POST", `/users/${team.leader}/offboarding-plan?action=${action}`, choices);
  expect(planned.status, JSON.stringify(planned.body)).to.equal(200);
  const plan = planned.body;
  const before = await snapshot(team);
  expect(await snapshot(team), "planning changes nothing").to.deep.equal(before);

  let outcome;
  if (via === "scim") {
    outcome = action === "remove" ? await tenant.scim("DELETE", `/Users/${team.leader}`) : await tenant.scim("PATCH", `/Users/${team.leader}`, deactivatePatch());
  } else {
    outcome = await tenant.admin("POST", `/users/${team.leader}/${action}`, { ...(choices ?? {}), reason: "plan check" });
  }
  if (plan.allowed) {
    expect(outcome.status, JSON.stringify(outcome.body)).to.equal(action === "remove" ? 204 : 200);
  } else {
    expect(outcome.status).to.equal(plan.refusals[0].status);
    expect(outcome.body.detail).to.equal(plan.refusals[0].detail);
  }
  expect(await snapshot(team), JSON.stringify(plan)).to.deep.equal(expectedFrom(plan, before));
  return plan;
}

const POLICIES: Array<Partial<Policy>> = [];
for (const reassignReportsTo of ["manager-then-owner", "owner", "block"] as const) {
  for (const groupMembershipsOnDeactivate of ["keep", "remove"] as const) {
    for (const revokeApiKeys of [true, false]) POLICIES.push({ reassignReportsTo, groupMembershipsOnDeactivate, revokeApiKeys });
  }
}

describe("GET|POST /admin/v1/tenants/:tenant/users/:id/offboarding-plan against the outcome", function () {
  this.timeout(120_000);
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  for (const policy of POLICIES) {
    for (const action of ["deactivate", "remove"] as const) {
      const label = `${policy.reassignReportsTo}, ${policy.groupMembershipsOnDeactivate}, revokeApiKeys ${policy.revokeApiKeys}`;
      it(`predicts a SCIM ${action} exactly [${label}]`, async () => {
        const team = await buildTeam(server);
        await givePolicy(team.tenant, policy);
        const plan = await planThenOffboard(team, action, null, "scim");
        expect(plan.allowed).to.equal(policy.reassignReportsTo !== "block");
        if (plan.allowed) {
          expect(plan.successor).to.include({ id: policy.reassignReportsTo === "owner" ? team.owner : team.boss, source: policy.reassignReportsTo === "owner" ? "owner" : "manager" });
        } else {
          expect(plan.refusals.map((r: any) => r.reason)).to.deep.equal(["leaderBlocked"]);
          expect(plan.refusals[0].pending).to.deep.equal({ reports: team.reports, groups: team.led });
        }
        expect(plan.inBulk).to.include({ status: 409, reason: "leaderInBulk" });
      });

      it(`predicts an administrator's ${action} with a successor and a per-report lead [${label}]`, async () => {
        const team = await buildTeam(server);
        await givePolicy(team.tenant, policy);
        const choices = { successor: team.spare, reassign: { reports: { [team.reports[1]]: team.owner } }, revokeApiKeys: !policy.revokeApiKeys };
        const plan = await planThenOffboard(team, action, choices, "admin");
        expect(plan.allowed).to.equal(true);
        expect(plan.reports).to.deep.equal([
          { id: team.reports[0], userName: "report1", newManager: team.spare, chosen: true },
          { id: team.reports[1], userName: "report2", newManager: team.owner, chosen: true },
        ]);
        expect(plan.apiKeys.revoked.length > 0).to.equal(!policy.revokeApiKeys);
        expect(plan.choices).to.deep.equal(choices);
      });
    }
  }

  it("predicts the owner as successor when the leader's manager is deactivated [manager-then-owner]", async () => {
    const team = await buildTeam(server);
    // the leader's manager becomes a deactivated user (deactivating the boss would hand the leader to the owner)
    const patched = await team.tenant.scim("PATCH", `/Users/${team.leader}`, patchOp({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: team.gone } }));
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const plan = await planThenOffboard(team, "deactivate", null, "scim");
    expect(plan.successor).to.include({ id: team.owner, source: "owner" });
  });

  it("predicts cleared links when there is no successor [no owner, manager deactivated]", async () => {
    const team = await buildTeam(server, { owner: "none", bossActive: false });
    const plan = await planThenOffboard(team, "remove", null, "scim");
    expect(plan.successor).to.equal(null);
    expect(plan.reports.map((r: any) => r.newManager)).to.deep.equal([null, null]);
  });

  it("predicts the owner guard, with or without choices [owner guard]", async () => {
    for (const [action, choices, via] of [["deactivate", null, "scim"], ["remove", { successor: "x" }, "admin"]] as const) {
      const team = await buildTeam(server, { owner: "leader" });
      const choice = choices && { successor: team.spare };
      const plan = await planThenOffboard(team, action, choice, via);
      expect(plan.allowed).to.equal(false);
      expect(plan.refusals.map((r: any) => r.reason)).to.deep.equal(["ownerGuard"]);
      expect(plan.refusals[0].detail).to.contain("transfer ownership first");
    }
  });

  it("predicts profile gaps with each missing path, on deactivation only [profile gaps]", async () => {
    const team = await buildTeam(server);
    const required = ["name.middleName", `${ENTERPRISE}:department`, "name.givenName"];
    await givePolicy(team.tenant, { requiredProfileFields: required, reassignReportsTo: "block" });
    const refused = await planThenOffboard(team, "deactivate", null, "scim");
    expect(refused.refusals.map((r: any) => r.reason)).to.deep.equal(["incompleteProfile", "leaderBlocked"]);
    expect(refused.refusals[0]).to.include({ status: 400 });
    expect(refused.refusals[0].missing).to.deep.equal(["name.middleName", `${ENTERPRISE}:department`]);
    const admin = await planThenOffboard(team, "deactivate", { successor: team.spare }, "admin");
    expect(admin.refusals.map((r: any) => r.reason)).to.deep.equal(["incompleteProfile"]);
    // removal skips the completeness check (SPEC §4 Remove)
    const removed = await planThenOffboard(team, "remove", { successor: team.spare }, "admin");
    expect(removed.allowed).to.equal(true);
  });

  it("predicts a blocked leader's offboarding when every report and group has a lead [block, per-item choices]", async () => {
    const team = await buildTeam(server);
    await givePolicy(team.tenant, { reassignReportsTo: "block" });
    const partial = { reassign: { reports: { [team.reports[0]]: team.spare }, groups: { [team.led[1]]: team.owner } } };
    const refused = await planThenOffboard(team, "deactivate", partial, "admin");
    expect(refused.refusals[0]).to.include({ status: 409, reason: "leaderBlocked" });
    expect(refused.refusals[0].pending).to.deep.equal({ reports: [team.reports[1]], groups: [team.led[0]] });
    const complete = { reassign: { reports: { ...partial.reassign.reports, [team.reports[1]]: team.boss }, groups: { ...partial.reassign.groups, [team.led[0]]: team.spare } } };
    const plan = await planThenOffboard(team, "deactivate", complete, "admin");
    expect(plan.allowed).to.equal(true);
    expect(plan.successor).to.equal(null);
    expect(plan.groups.map((g: any) => [g.id, g.newLeader])).to.deep.equal([[team.led[0], team.spare], [team.led[1], team.owner]]);
  });

  it("plans nothing for a user already deactivated, and the POST changes nothing [deactivated]", async () => {
    const team = await buildTeam(server);
    await deactivate(team.tenant, team.leader);
    const plan = await planThenOffboard(team, "deactivate", null, "admin");
    expect(plan).to.include({ allowed: true, unchanged: true });
    expect((await auditOf(team.tenant, "action=user.deactivate")).filter((e) => e.target === team.leader)).to.have.length(1);
  });

  it("says whether the seat is freed [seats]", async () => {
    const team = await buildTeam(server);
    const deactivation = (await team.tenant.admin("GET", `/users/${team.leader}/offboarding-plan?action=deactivate`)).body.seats;
    const removal = (await team.tenant.admin("GET", `/users/${team.leader}/offboarding-plan?action=remove`)).body.seats;
    expect(deactivation).to.deep.include({ freed: false, organization: null });
    expect(deactivation.tenant).to.deep.equal({ limit: null, used: 7, freed: false });
    expect(removal).to.deep.include({ freed: true });
    expect(removal.reason).to.be.a("string").and.not.equal("");
  });

  it("answers 400 for a missing or unknown action and 404 for an unknown or removed user", async () => {
    const team = await buildTeam(server);
    for (const query of ["", "?action=erase", "?action=remove&other=1"]) {
      const res = await team.tenant.admin("GET", `/users/${team.leader}/offboarding-plan${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.errors).to.be.an("array").that.is.not.empty;
    }
    expect((await team.tenant.admin("GET", "/users/nobody/offboarding-plan?action=remove")).status).to.equal(404);
    await team.tenant.scim("DELETE", `/Users/${team.spare}`);
    expect((await team.tenant.admin("GET", `/users/${team.spare}/offboarding-plan?action=remove`)).status).to.equal(404);
  });

  it("writes nothing when planning with choices [no write]", async () => {
    const team = await buildTeam(server);
    const before = await getUser(team.tenant, team.leader);
    const entries = (await auditOf(team.tenant)).length;
    const planned = await team.tenant.admin("POST", `/users/${team.leader}/offboarding-plan?action=remove`, { successor: team.spare, reason: "ignored" });
    expect(planned.status).to.equal(200);
    const after = await getUser(team.tenant, team.leader);
    expect(after.body.meta.version).to.equal(before.body.meta.version);
    expect(await auditOf(team.tenant)).to.have.length(entries);
    expect((await credentialsOf(team.tenant, team.leader)).every((c) => c.revokedAt === null)).to.equal(true);
  });
});
