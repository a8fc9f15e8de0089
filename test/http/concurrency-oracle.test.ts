import { expect } from "chai";
import { type TestServer } from "../support/test-server";
import { givePolicy } from "../support/admin";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { runConcurrencyOracle } from "./concurrency-oracle";

describe("concurrent writes against an audit-log oracle (SPEC §3, §5, RFC 7644 §3.14)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("ends in the state a serial replay of the audit log gives, with every successful write audited", async function () {
    this.timeout(120_000);
    const tenant = await freshTenant(server);
    const report = await runConcurrencyOracle({ tenants: [tenant], clients: 10, operationsPerClient: 24, users: 12, groups: 2, seed: 20261201 });
    expect(report.violations).to.deep.equal([]);
    expect(report.succeeded, JSON.stringify(report.statuses)).to.be.above(report.operations / 3);
  });

  it("holds when deactivations drop memberships concurrently [policy groupMembershipsOnDeactivate remove]", async function () {
    this.timeout(120_000);
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { groupMembershipsOnDeactivate: "remove" });
    const report = await runConcurrencyOracle({ tenants: [tenant], clients: 10, operationsPerClient: 24, users: 12, groups: 2, seed: 20261202 });
    expect(report.violations).to.deep.equal([]);
    expect(report.succeeded, JSON.stringify(report.statuses)).to.be.above(report.operations / 3);
  });
});
