import { expect } from "chai";
import { patchOp } from "../support/scim";
import { userBody, type TestTenant } from "../support/test-server";
import { runConcurrencyOracle } from "./concurrency-oracle";
import { databaseForSeveralProcesses, startRosterProcesses, type RosterProcesses, type SharedDatabase } from "./multi-process";

/** README, Several processes: two Roster processes on one database keep the concurrency invariants. */
describe("two Roster processes on one database (README Several processes, RFC 7644 §3.14)", function () {
  this.timeout(120_000);
  let database: SharedDatabase | undefined;
  let processes: RosterProcesses | undefined;

  before(async function () {
    const found = await databaseForSeveralProcesses();
    if (typeof found === "string") {
      process.stderr.write(`[test] skipping two-process tests: ${found}\n`);
      this.skip();
    }
    database = found;
    processes = await startRosterProcesses(found, 2);
  });

  after(async () => {
    await processes?.stop();
    await database?.stop();
  });

  it("ends in the state a serial replay of the audit log gives, with every successful write audited", async () => {
    const tenants = await processes!.newTenant();
    const report = await runConcurrencyOracle({ tenants, clients: 8, operationsPerClient: 12, users: 10, groups: 2, seed: 20261202 });
    expect(report.violations).to.deep.equal([]);
    expect(report.succeeded, JSON.stringify(report.statuses)).to.be.above(report.operations / 3);
  });

  /** 10 PATCHes with the same If-Match, alternating between the processes: 1 answered `success`, 9 answered 412. */
  async function contend(tenants: TestTenant[], path: string, body: (n: number) => unknown, ifMatch: string, success: number): Promise<void> {
    const results = await Promise.all(Array.from({ length: 10 }, (_unused, n) => tenants[n % tenants.length].scim("PATCH", path, body(n), { "If-Match": ifMatch })));
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === success), statuses.join()).to.have.length(1);
    expect(statuses.filter((status) => status === 412), statuses.join()).to.have.length(9);
  }

  it("lets exactly one of 10 PATCHes with the same If-Match through, across the processes [user, 5 rounds]", async () => {
    const tenants = await processes!.newTenant();
    const user = (await tenants[0].scim("POST", "/Users", userBody("contended"))).body;
    for (let round = 1; round <= 5; round++) {
      const version = (await tenants[round % 2].scim("GET", `/Users/${user.id}`)).headers.get("etag")!;
      await contend(tenants, `/Users/${user.id}`, (n) => patchOp({ op: "replace", path: "displayName", value: `Round ${round} writer ${n}` }), version, 200);
      expect((await tenants[0].scim("GET", `/Users/${user.id}`)).body.meta.version).to.equal(`W/"${round + 1}"`);
    }
  });

  it("lets exactly one of 10 member adds with the same If-Match through, across the processes [group, 3 rounds]", async () => {
    const tenants = await processes!.newTenant();
    // ten new members per round, so the winner's add always changes the group
    const users: string[] = [];
    for (let n = 0; n < 30; n++) users.push((await tenants[n % 2].scim("POST", "/Users", userBody(`writer-${n}`))).body.id);
    const group = (await tenants[0].scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Contended" })).body;
    for (let round = 1; round <= 3; round++) {
      const version = (await tenants[round % 2].scim("GET", `/Groups/${group.id}`)).headers.get("etag")!;
      await contend(tenants, `/Groups/${group.id}`, (n) => patchOp({ op: "add", path: "members", value: [{ value: users[(round - 1) * 10 + n] }] }), version, 204);
      expect(((await tenants[1].scim("GET", `/Groups/${group.id}`)).body.members ?? []).length).to.equal(round);
    }
  });
});
