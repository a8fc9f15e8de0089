import { expect } from "chai";
import { GroupModel, MembershipModel } from "../../src/store/models";
import { storedAuditOf } from "../support/store";
import { type HttpResult, type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUserId, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP } from "../support/urns";
import { sleep } from "../support/wait";
import { seededRandom } from "../../bench/seeded-random";

const ROUNDS = 10;

interface Sent {
  kind: "add" | "replace" | "rename" | "delete" | "recreate";
  requestId: string;
  result: HttpResult;
}

/** SPEC §3 DELETE /Groups: a delete racing member writes and a re-create leaves no membership of a deleted group. */
describe("group delete racing member writes and a re-create (SPEC §3, issue 8 defect 8)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("leaves no orphaned membership, answers no 5xx, and every 2xx write is consistent with the final state", async function () {
    this.timeout(180_000);
    const tenant = await freshTenant(server);
    const random = seededRandom(20261203);
    const users: string[] = [];
    for (let n = 0; n < 8; n++) users.push(await createUserId(tenant, `racer-${n}`));

    for (let round = 0; round < ROUNDS; round++) {
      const name = `Raced ${round}`;
      const group = await createGroup(tenant, name, users.slice(0, 2));
      const sent = await race(tenant, group.id, name, users, random, round);
      const problem = (what: Sent, why: string) => `round ${round} ${what.kind} ${what.requestId}: ${what.result.status} ${why}`;

      for (const what of sent) expect(what.result.status, problem(what, JSON.stringify(what.result.body))).to.be.below(500);
      const deleted = sent.filter((what) => what.kind === "delete");
      expect(deleted.map((what) => what.result.status).sort(), "exactly one of two DELETEs wins").to.deep.equal([204, 404]);
      expect((await tenant.scim("GET", `/Groups/${group.id}`)).status).to.equal(404);

      // a write answered 2xx happened before the delete: its audit entry precedes the delete's
      const audit = (await storedAuditOf(tenant)).filter((entry) => entry.target === group.id).reverse();
      const deleteAt = audit.findIndex((entry) => entry.action === "group.delete");
      expect(deleteAt, "the delete is audited").to.be.at.least(0);
      expect(audit.slice(deleteAt + 1), "nothing is audited on the group after its delete").to.deep.equal([]);
      for (const what of sent.filter((what) => what.kind === "add" || what.kind === "rename")) {
        const at = audit.findIndex((entry) => entry.requestId === what.requestId);
        if (what.result.status < 300) expect(at, problem(what, "answered 2xx but not audited before the delete")).to.be.within(0, deleteAt - 1);
        else {
          expect(what.result.status, problem(what, "a refused write on a deleted group is a 404")).to.equal(404);
          expect(at, problem(what, "refused but audited")).to.equal(-1);
        }
      }

      // a re-create answered 201 is a new group with exactly the members it was created with
      const recreated = sent.find((what) => what.kind === "recreate")!;
      expect([201, 409], problem(recreated, "")).to.include(recreated.result.status);
      if (recreated.result.status === 201) {
        const read = await tenant.scim("GET", `/Groups/${recreated.result.body.id}`);
        expect(read.body.members.map((member: { value: string }) => member.value).sort()).to.deep.equal([users[7]]);
      }
    }

    // no membership of the tenant belongs to a group that does not exist
    const groupIds = new Set((await GroupModel.find({ tenant: tenant.id }, { _id: 1 }).lean<Array<{ _id: string }>>().exec()).map((doc) => doc._id));
    const orphans = (await MembershipModel.find({ tenant: tenant.id }).lean<Array<{ groupId: string; userId: string }>>().exec()).filter((doc) => !groupIds.has(doc.groupId));
    expect(orphans).to.deep.equal([]);
  });
});

/** Two DELETEs, member adds, a member replace, a rename and a re-create of the display name, each after a random short delay. */
async function race(tenant: TestTenant, groupId: string, name: string, users: string[], random: () => number, round: number): Promise<Sent[]> {
  const plan: Array<{ kind: Sent["kind"]; send: (headers: Record<string, string>) => Promise<HttpResult> }> = [
    { kind: "delete", send: (headers) => tenant.scim("DELETE", `/Groups/${groupId}`, undefined, headers) },
    { kind: "delete", send: (headers) => tenant.scim("DELETE", `/Groups/${groupId}`, undefined, headers) },
    ...users.slice(2, 6).map((user) => ({ kind: "add" as const, send: (headers: Record<string, string>) => tenant.scim("PATCH", `/Groups/${groupId}`, patchOp({ op: "add", path: "members", value: [{ value: user }] }), headers) })),
    { kind: "replace", send: (headers) => tenant.scim("PATCH", `/Groups/${groupId}`, patchOp({ op: "replace", path: "members", value: [{ value: users[6] }, { value: users[0] }] }), headers) },
    { kind: "rename", send: (headers) => tenant.scim("PATCH", `/Groups/${groupId}`, patchOp({ op: "replace", path: "displayName", value: `${name} renamed` }, { op: "add", path: "members", value: [{ value: users[1] }] }), headers) },
    { kind: "recreate", send: (headers) => tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: name, members: [{ value: users[7] }] }, headers) },
  ];
  return Promise.all(
    plan.map(async ({ kind, send }, n) => {
      await sleep(Math.floor(random() * 25));
      const requestId = `race-${round}-${n}`;
      return { kind, requestId, result: await send({ "X-Request-Id": requestId }) };
    }),
  );
}
