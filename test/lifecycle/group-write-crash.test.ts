import { expect } from "chai";
import pino from "pino";
import { finishGroupWrites } from "../../src/jobs/run-jobs";
import { getRuntime, type Runtime } from "../../src/services/context";
import { newTenant, startTestServer, type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, memberIds, patchOp } from "../support/scim";
import { later, withRuntime } from "../support/runtime";
import { storedAuditOf } from "../support/store";

const quiet = pino({ level: "silent" });

/** Runs `work` with the clock past every claim's expiry. */
function afterLeases<T>(work: () => Promise<T>): Promise<T> {
  return later(getRuntime().leaseMs + 60_000, work);
}

/** A member write of `groupId` whose process "dies" at `point`: after its removals, or after its additions. */
function dyingAt(groupId: string, point: "group-members" | "group-audit" = "group-members"): Partial<Runtime> {
  return {
    injectFault: (step, id) => {
      if (step === point && id === groupId) throw new Error("test: the process died mid-write");
    },
  };
}

async function groupEntries(tenant: TestTenant, groupId: string) {
  return (await storedAuditOf(tenant, { target: groupId })).filter((entry) => entry.action === "group.update").reverse();
}

/** SPEC §3, §5: a group write cut off half-way is finished, audited once, by whoever comes next. */
describe("group writes cut off half-way (SPEC §3 Group membership at scale, §5)", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  async function setUp(prefix: string) {
    const tenant = await newTenant(server, prefix);
    const users: string[] = [];
    for (const name of ["u1", "u2", "u3", "u4", "u5"]) users.push((await createUser(tenant, name)).id);
    const group = await createGroup(tenant, "Team", users.slice(0, 2));
    const cutOff = await withRuntime(dyingAt(group.id), () =>
      tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${users[0]}"]` }, { op: "add", path: "members", value: [{ value: users[2] }, { value: users[3] }] }), { "X-Request-Id": "cut-off" }),
    );
    expect(cutOff.status, JSON.stringify(cutOff.body)).to.be.at.least(500);
    return { tenant, users, group };
  }

  it("is finished by the sweep once its claim expired: the whole delta, one entry, one version [sweep]", async () => {
    const { tenant, users, group } = await setUp("sweep");
    // nothing is audited yet, and the sweep leaves a live claim alone
    expect(await groupEntries(tenant, group.id)).to.have.length(0);
    await finishGroupWrites(quiet);
    expect(await groupEntries(tenant, group.id)).to.have.length(0);

    expect(await afterLeases(() => finishGroupWrites(quiet))).to.equal(1);
    expect(await memberIds(tenant, group.id)).to.deep.equal([users[1], users[2], users[3]].sort());
    const entries = await groupEntries(tenant, group.id);
    expect(entries).to.have.length(1);
    expect(entries[0].requestId).to.equal("cut-off");
    expect(entries[0].before).to.deep.equal({ members: [{ value: users[0] }] });
    expect(entries[0].after).to.deep.equal({ members: [{ value: users[2] }, { value: users[3] }] });
    expect((await tenant.scim("GET", `/Groups/${group.id}`)).body.meta.version).to.equal('W/"2"');
    // finishing again changes nothing
    expect(await afterLeases(() => finishGroupWrites(quiet))).to.equal(0);
    expect(await groupEntries(tenant, group.id)).to.have.length(1);
  });

  it("is finished by the group's next writer before its own write, in audit order [next writer]", async () => {
    const { tenant, users, group } = await setUp("next");
    const next = await afterLeases(() => tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: users[4] }] }), { "X-Request-Id": "next" }));
    expect(next.status).to.equal(204);
    expect(await memberIds(tenant, group.id)).to.deep.equal([users[1], users[2], users[3], users[4]].sort());
    const entries = await groupEntries(tenant, group.id);
    expect(entries.map((entry) => entry.requestId)).to.deep.equal(["cut-off", "next"]);
    expect(entries[1].after).to.deep.equal({ members: [{ value: users[4] }] });
    expect((await tenant.scim("GET", `/Groups/${group.id}`)).body.meta.version).to.equal('W/"3"');
  });

  it("audits exactly the members an add-only write made, when it is finished after its inserts [add only]", async () => {
    const tenant = await newTenant(server, "adds");
    const users: string[] = [];
    for (const name of ["u1", "u2", "u3"]) users.push((await createUser(tenant, name)).id);
    const group = await createGroup(tenant, "Team", users.slice(0, 2));
    // u2 is a member already; the write dies after inserting u3, before its audit entry
    const cutOff = await withRuntime(dyingAt(group.id, "group-audit"), () =>
      tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: users[1] }, { value: users[2] }] }), { "X-Request-Id": "cut-off" }),
    );
    expect(cutOff.status).to.be.at.least(500);
    expect(await groupEntries(tenant, group.id)).to.have.length(0);
    expect(await afterLeases(() => finishGroupWrites(quiet))).to.equal(1);
    expect(await memberIds(tenant, group.id)).to.deep.equal([...users].sort());
    const entries = await groupEntries(tenant, group.id);
    expect(entries.map((entry) => entry.after)).to.deep.equal([{ members: [{ value: users[2] }] }]);
    expect(entries[0].before).to.deep.equal({});
  });

  it("gives the members of a group renamed by a write cut off before its members the new name once it is finished [rename]", async () => {
    const tenant = await newTenant(server, "rename");
    const users: string[] = [];
    for (const name of ["u1", "u2", "u3"]) users.push((await createUser(tenant, name)).id);
    const group = await createGroup(tenant, "Old name", users.slice(0, 2));
    const cutOff = await withRuntime(dyingAt(group.id), () =>
      tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: "New name" }, { op: "add", path: "members", value: [{ value: users[2] }] })),
    );
    expect(cutOff.status).to.be.at.least(500);
    expect(await afterLeases(() => finishGroupWrites(quiet))).to.equal(1);
    for (const user of users) {
      const groups = (await tenant.scim("GET", `/Users/${user}`)).body.groups;
      expect(groups.map((entry: { value: string; display: string }) => [entry.value, entry.display]), user).to.deep.equal([[group.id, "New name"]]);
    }
  });
});
