import { expect } from "chai";
import mongoose from "mongoose";
import { MembershipModel } from "../../src/store/models";
import { createGroup, createUserId, deactivatePatch, filterQuery, ledBy, listUsers, managedBy, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import type { TestServer, TestTenant } from "../support/test-server";

const OUTBOX_JOB = /^(event_subscriptions\.|event_deliveries\.|audit\.(find|update)$)/;

/**
 * The database commands sent while `run` runs that concern `tenant`, as "collection.command"
 * (driver command monitoring, on for the run's connection). Commands that do not name the
 * tenant are other work of the process: the background jobs' cross-tenant sweeps, and the
 * token lookup, which authentication caches (SPEC §7). The event outbox's job (its reads and
 * marks of audit entries, its subscriptions and deliveries) runs every 100 ms in tests and does
 * name the tenant, so it is left out by what it touches: requests only ever insert audit entries.
 */
async function operationsOf(tenant: string, run: () => Promise<unknown>): Promise<string[]> {
  const client = mongoose.connection.getClient();
  const seen: string[] = [];
  const listener = (event: { commandName: string; command: Record<string, unknown> }): void => {
    const operation = `${String(event.command[event.commandName])}.${event.commandName}`;
    if (OUTBOX_JOB.test(operation) || !JSON.stringify(event.command).includes(tenant)) return;
    seen.push(operation);
  };
  client.on("commandStarted", listener);
  try {
    await run();
  } finally {
    client.off("commandStarted", listener);
  }
  return seen;
}

/**
 * The database round trips of the requests an IdP sends by the thousand (#9): counted from what
 * the driver sends, so a change that adds a query to a lookup fails here, not only in the bench.
 */
describe("database operations per request (performance budget)", () => {
  let server: TestServer;
  let tenant: TestTenant;
  before(async () => {
    server = await sharedTestServer();
  });
  beforeEach(async () => {
    tenant = await freshTenant(server, "ops");
  });

  /** A user in two groups, so the lookups carry a `groups` attribute. */
  async function userInTwoGroups(userName: string): Promise<string> {
    const id = await createUserId(tenant, userName, { externalId: `ext-${userName}` });
    await createGroup(tenant, `${userName} first`, [id]);
    await createGroup(tenant, `${userName} second`, [id]);
    return id;
  }

  for (const [attribute, value] of [
    ["userName", "ada"],
    ["externalId", "ext-ada"],
    ["emails.value", "ada@example.com"],
  ]) {
    it(`answers a ${attribute} eq lookup with its groups in two operations: the user, then the memberships naming their groups`, async () => {
      await userInTwoGroups("ada");
      const path = `/Users${filterQuery(`${attribute} eq "${value}"`)}`;
      let body: any;
      const operations = await operationsOf(tenant.id, async () => {
        body = (await tenant.scim("GET", path)).body;
      });
      expect(body.totalResults).to.equal(1);
      expect(body.Resources[0].groups.map((group: any) => group.display).sort()).to.deep.equal(["ada first", "ada second"]);
      expect(operations).to.deep.equal(["users.find", "memberships.find"]);
    });
  }

  it("answers a page of users and GET of one user with the same two operations, whatever their number of groups", async () => {
    for (const name of ["bo", "cy", "di"]) await userInTwoGroups(name);
    const page = await operationsOf(tenant.id, () => tenant.scim("GET", "/Users?count=100"));
    const id = await createUserId(tenant, "eve");
    const one = await operationsOf(tenant.id, () => tenant.scim("GET", `/Users/${id}`));
    expect(page).to.deep.equal(["users.find", "memberships.find"]);
    expect(one).to.deep.equal(["users.find", "memberships.find"]);
  });

  it("names a renamed group with its new name, and a deleted one not at all, in its members' groups", async () => {
    const id = await createUserId(tenant, "fay");
    const renamed = await createGroup(tenant, "Old name", [id]);
    const deleted = await createGroup(tenant, "Doomed", [id]);
    expect((await tenant.scim("PATCH", `/Groups/${renamed.id}`, patchOp({ op: "replace", path: "displayName", value: "New name" }))).status).to.be.oneOf([200, 204]);
    expect((await tenant.scim("DELETE", `/Groups/${deleted.id}`)).status).to.equal(204);
    const [user] = (await listUsers(tenant, 'userName eq "fay"')).Resources;
    expect(user.groups).to.deep.equal([{ value: renamed.id, display: "New name", $ref: user.groups[0].$ref, type: user.groups[0].type }].map(dropUndefined));
    const put = await tenant.scim("PUT", `/Groups/${renamed.id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Third name", members: [{ value: id }] });
    expect(put.status).to.equal(200);
    expect((await tenant.scim("GET", `/Users/${id}`)).body.groups.map((group: any) => group.display)).to.deep.equal(["Third name"]);
  });

  it("reads the names of memberships that carry none (written before the name was copied, or of a deletion cut short) from their groups, and names no gone group", async () => {
    const id = await createUserId(tenant, "gil");
    const kept = await createGroup(tenant, "Kept", [id]);
    const gone = await createGroup(tenant, "Gone", [id]);
    await MembershipModel.collection.updateMany({ tenant: tenant.id, userId: id } as never, { $unset: { display: "" } } as never);
    // a deletion cut short after the group and before its memberships
    await mongoose.connection.collection("groups").deleteOne({ tenant: tenant.id, _id: gone.id } as never);
    let groups: any[] = [];
    const operations = await operationsOf(tenant.id, async () => {
      groups = (await tenant.scim("GET", `/Users/${id}`)).body.groups;
    });
    expect(groups.map((group) => [group.value, group.display])).to.deep.equal([[kept.id, "Kept"]]);
    expect(operations).to.deep.equal(["users.find", "memberships.find", "groups.find"]);
  });

  it("deactivates a leader in as many operations with 20 reports as with 2 (bulk hand-over)", async function () {
    this.timeout(60_000);
    const operationsFor = async (reportCount: number): Promise<string[]> => {
      const leader = await createUserId(tenant, `lead${reportCount}`);
      const reports: string[] = [];
      for (let index = 0; index < reportCount; index++) reports.push(await createUserId(tenant, `r${reportCount}-${index}`, managedBy(leader)));
      await createGroup(tenant, `led by ${reportCount}`, reports.slice(0, 2), ledBy(leader));
      return operationsOf(tenant.id, async () => expect((await tenant.scim("PATCH", `/Users/${leader}`, deactivatePatch())).status).to.equal(200));
    };
    const few = await operationsFor(2);
    const many = await operationsFor(20);
    expect(many.length).to.equal(few.length);
    expect(many.sort()).to.deep.equal(few.sort());
  });
});

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}
