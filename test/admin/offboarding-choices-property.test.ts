import { expect } from "chai";
import fc from "fast-check";
import { addCredential, auditOf, giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, deactivate, getUser, groupLeaderOf, ledBy, managedBy, managerOf } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import type { TestServer } from "../support/test-server";

/** Ids a client might name: the team's (good and bad leads alike), unknown ones, and hostile keys. */
const ROLES = ["leader", "boss", "r1", "r2", "group", "spare", "gone", "unknown", "__proto__", "constructor", "$where", "a.b"] as const;
type Role = (typeof ROLES)[number];

const role = fc.constantFrom(...ROLES);
// mostly choices that hold, so that every outcome is drawn often: 400, refused, and offboarded
const lead = fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Role>("boss", "r1", "r2", "spare") }, { weight: 1, arbitrary: role });
const reportKey = fc.oneof({ weight: 8, arbitrary: fc.constantFrom<Role>("r1", "r2") }, { weight: 1, arbitrary: role });
const groupKey = fc.oneof({ weight: 8, arbitrary: fc.constant<Role>("group") }, { weight: 1, arbitrary: role });
const choicesArbitrary = fc.record(
  {
    successor: lead,
    reports: fc.dictionary(reportKey, lead, { maxKeys: 2 }),
    groups: fc.dictionary(groupKey, lead, { maxKeys: 1 }),
    revokeApiKeys: fc.boolean(),
    action: fc.constantFrom("deactivate" as const, "remove" as const),
    policy: fc.constantFrom("manager-then-owner" as const, "owner" as const, "block" as const),
    owner: fc.constantFrom("none" as const, "boss" as const, "leader" as const),
  },
  { requiredKeys: ["action", "policy", "owner"] },
);

/**
 * Whatever choices a client sends, the offboarding either answers 400 and changes nothing,
 * or does exactly what the plan with the same choices said (SPEC §11), and never a 5xx.
 */
describe("Administrator offboarding with arbitrary choices [property]", function () {
  this.timeout(300_000);
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 400 with nothing changed, or does what the plan said", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(choicesArbitrary, async (drawn) => {
        const tenant = await freshTenant(server, "prop");
        const boss = (await createUser(tenant, "boss")).id;
        const leader = (await createUser(tenant, "leader", managedBy(boss))).id;
        const r1 = (await createUser(tenant, "r1", managedBy(leader))).id;
        const r2 = (await createUser(tenant, "r2", managedBy(leader))).id;
        const group = (await createGroup(tenant, "Team", [leader], ledBy(leader))).id;
        const spare = (await createUser(tenant, "spare")).id;
        const gone = (await createUser(tenant, "gone")).id;
        await deactivate(tenant, gone);
        await addCredential(tenant, leader, "apiKey");
        await givePolicy(tenant, { reassignReportsTo: drawn.policy });
        if (drawn.owner !== "none") await giveOwner(tenant, drawn.owner === "boss" ? boss : leader);
        const ids: Record<Role, string> = { leader, boss, r1, r2, group, spare, gone, unknown: "no-such-id", __proto__: "__proto__", constructor: "constructor", $where: "$where", "a.b": "a.b" };
        const map = (drawnMap: Record<string, Role> | undefined) => drawnMap && Object.fromEntries(Object.entries(drawnMap).map(([key, value]) => [ids[key as Role], ids[value]]));
        const body: Record<string, unknown> = {};
        if (drawn.successor) body.successor = ids[drawn.successor];
        const reports = map(drawn.reports);
        const groups = map(drawn.groups);
        if (reports || groups) body.reassign = { ...(reports ? { reports } : {}), ...(groups ? { groups } : {}) };
        if (drawn.revokeApiKeys !== undefined) body.revokeApiKeys = drawn.revokeApiKeys;

        const plan = await tenant.admin("POST", `/users/${leader}/offboarding-plan?action=${drawn.action}`, body);
        expect(plan.status, JSON.stringify(plan.body)).to.be.oneOf([200, 400]);
        const entries = (await auditOf(tenant)).length;
        const outcome = await tenant.admin("POST", `/users/${leader}/${drawn.action}`, { ...body, reason: "property" });
        seen.add(plan.status === 400 ? "invalid" : plan.body.allowed ? "offboarded" : "refused");
        expect(outcome.status, JSON.stringify(outcome.body)).to.be.below(500);

        const managers = async () => [managerOf((await getUser(tenant, r1)).body) ?? null, managerOf((await getUser(tenant, r2)).body) ?? null];
        if (plan.status === 400) {
          expect(outcome.status).to.equal(400);
          expect(outcome.body.errors).to.deep.equal(plan.body.errors);
          expect((await getUser(tenant, leader)).body.active).to.equal(true);
          expect(await managers()).to.deep.equal([leader, leader]);
          expect(await auditOf(tenant)).to.have.length(entries);
          return;
        }
        const planned = plan.body;
        if (!planned.allowed) {
          expect(outcome.status).to.equal(planned.refusals[0].status);
          expect(await managers()).to.deep.equal([leader, leader]);
          return;
        }
        expect(outcome.status).to.equal(drawn.action === "remove" ? 204 : 200);
        expect(await managers()).to.deep.equal(planned.reports.map((report: any) => report.newManager));
        expect((await groupLeaderOf(tenant, group)) ?? null).to.equal(planned.groups[0].newLeader);
        // every lead that was set is an active user of the tenant, never the leaver
        for (const lead of [...(await managers()), (await groupLeaderOf(tenant, group)) ?? null]) {
          if (lead === null) continue;
          expect(lead).to.not.equal(leader);
          expect((await getUser(tenant, lead)).body.active).to.equal(true);
        }
      }),
      { numRuns: 25, seed: 1102 },
    );
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect([...seen].sort(), "the runs drew every outcome").to.deep.equal(["invalid", "offboarded", "refused"]);
  });
});
