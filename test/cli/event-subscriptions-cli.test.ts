import { expect } from "chai";
import { helpFor } from "../../src/cli/help-text";
import { main } from "../../src/cli/main";
import { ADMIN_TOKEN, newTenant, startTestServer, type TestServer } from "../support/test-server";
import { deleteTenantCascade } from "../../src/store/tenant-store";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `roster event-subscriptions …` (README "Lifecycle events"), in-process against a real server. */
describe("roster event-subscriptions", () => {
  let server: TestServer;
  let tenant: string;
  before(async () => {
    server = await startTestServer();
    tenant = (await newTenant(server, "cli-ev")).id;
  });
  after(async () => {
    await deleteTenantCascade(tenant);
    await server.close();
  });

  async function roster(...args: string[]): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const env = { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN, ROSTER_URL: server.url };
    const code = await main(args, env, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stdout, stderr };
  }

  it("creates a push subscription with a secret from a file, lists it without the secret, shows deliveries, deletes it", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roster-cli-")), "secret");
    fs.writeFileSync(file, "a-receiver-secret-0123456789\n");
    const created = await roster("event-subscriptions", "create", tenant, "--receiver", "https://receiver.example/in", "--events", "urn:ietf:params:scim:event:prov:deactivate, urn:roster:params:event:leaveDatePassed", "--secret-file", file);
    expect(created.code, created.stderr).to.equal(0);
    const subscription = JSON.parse(created.stdout);
    expect(subscription).to.include({ delivery: "push", url: "https://receiver.example/in", hasSecret: true });
    expect(subscription.events).to.deep.equal(["urn:ietf:params:scim:event:prov:deactivate", "urn:roster:params:event:leaveDatePassed"]);
    const listed = await roster("event-subscriptions", "list", tenant);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.not.include("a-receiver-secret");
    expect(JSON.parse(listed.stdout).subscriptions).to.have.length(1);
    const deliveries = await roster("event-subscriptions", "deliveries", tenant, subscription.id, "--status", "dead");
    expect(deliveries.code, deliveries.stderr).to.equal(0);
    expect(JSON.parse(deliveries.stdout)).to.deep.equal({ deliveries: [] });
    const retried = await roster("event-subscriptions", "retry", tenant, subscription.id, "no-such-jti");
    expect(retried.code).to.equal(1);
    expect(retried.stderr).to.match(/404/);
    const deleted = await roster("event-subscriptions", "delete", tenant, subscription.id);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.stdout).to.match(/Deleted event subscription/);
  });

  it("prints a poll subscription's token once, with a note", async () => {
    const created = await roster("event-subscriptions", "create", tenant, "--delivery", "poll");
    expect(created.code, created.stderr).to.equal(0);
    expect(JSON.parse(created.stdout).pollToken).to.match(/^rse_/);
    expect(created.stderr).to.match(/will not show it again/);
  });

  it("refuses a bad subscription before sending it (each schema error named), and explains itself in --help", async () => {
    const bad = await roster("event-subscriptions", "create", tenant, "--receiver", "ftp://receiver.example", "--events", "urn:nope");
    expect(bad.code).to.not.equal(0);
    expect(bad.stderr).to.match(/\/url/);
    expect(bad.stderr).to.match(/\/events\/0/);
    expect(helpFor("event-subscriptions")).to.match(/RFC 8936/);
  });
});
