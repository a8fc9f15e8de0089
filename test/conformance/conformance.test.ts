import { expect } from "chai";
import * as entra from "../../conformance/entra-sequence";
import * as okta from "../../conformance/okta-sequence";
import { Report } from "../../conformance/report";
import { newTenant, startTestServer, userBody, type TestServer } from "../support/test-server";

/**
 * The black-box suites of conformance/ against the in-process server, each on
 * a fresh tenant (no owner, default policy). One test per identity provider;
 * a failure lists every failed step with its request and response.
 */
describe("conformance suites", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  for (const [name, run] of [
    ["okta", okta.run],
    ["entra", entra.run],
  ] as const) {
    it(`passes every step of the ${name} sequence`, async function () {
      this.timeout(180_000);
      const tenant = await newTenant(server, name);
      const lines: string[] = [];
      const report = new Report((line) => lines.push(line));
      await run(`${server.url}/scim/v2`, tenant.token, report);
      if (process.env.CONFORMANCE_VERBOSE) process.stdout.write(`${lines.join("\n")}\n`);
      const failed = report.failed(name).map((r) => `${r.name}\n      ${r.why}`);
      expect(report.passed(name).length, "no step ran").to.be.greaterThan(0);
      if (failed.length > 0) expect.fail(`${failed.length} of ${report.results.length} ${name} steps failed:\n    ${failed.join("\n    ")}`);
    });
  }

  it("passes the okta sequence on a tenant with an owner, who inherits a manager-less leader's reports [--owner]", async function () {
    this.timeout(180_000);
    const tenant = await newTenant(server, "owned");
    const owner = await tenant.scim("POST", "/Users", userBody("the.owner"));
    expect(owner.status).to.equal(201);
    expect((await tenant.admin("PUT", "/owner", { userId: owner.body.id })).status).to.equal(200);
    const report = new Report(() => undefined);
    await okta.run(`${server.url}/scim/v2`, tenant.token, report, { ownerId: owner.body.id });
    const failed = report.failed().map((r) => `${r.name}\n      ${r.why}`);
    expect(report.passed().some((r) => r.name.includes("account owner")), "the owner step did not pass").to.equal(true);
    if (failed.length > 0) expect.fail(`${failed.length} okta steps failed:\n    ${failed.join("\n    ")}`);
  });
});
