import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { COMMANDS } from "../../src/cli/commands";
import { HELP_TEXT } from "../../src/cli/help-text";
import { main, type CliEnv } from "../../src/cli/main";
import { ADMIN_TOKEN, request, startTestServer, userBody, type TestServer } from "../support/test-server";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const BIN = path.join(ROOT, "bin", "roster.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as `npx roster` would. */
function roster(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

/** Runs the CLI in-process, for the cases that need no child. */
async function rosterInProcess(args: string[], env: CliEnv): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, env, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe("roster CLI", () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN, ROSTER_URL: server.url };
  });
  after(async () => server.close());

  describe("--help", () => {
    it("prints usage for every command and exits 0 [child process]", async () => {
      const run = await roster(["--help"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal(HELP_TEXT);
      for (const command of COMMANDS) {
        const usage = `roster ${[...command.words, ...command.args.map((arg) => `<${arg}>`)].join(" ")}`;
        expect(run.stdout, usage).to.include(usage);
        for (const option of command.options) expect(run.stdout, `--${option}`).to.include(`--${option}`);
      }
      expect(run.stdout).to.include("ROSTER_ADMIN_TOKEN");
      expect(run.stdout).to.match(/never opens the database/);
    });

    it("prints one group's usage for `roster <group> --help`", async () => {
      const run = await roster(["tokens", "--help"]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.include("roster tokens issue <tenant>");
      expect(run.stdout).to.not.include("roster tenants create");
      expect(run.stdout).to.include("ROSTER_ADMIN_TOKEN");
    });

    it("exits 2 with a hint for an unknown command, a missing argument or a foreign option", async () => {
      for (const args of [["frobnicate"], ["tenants", "create"], ["tokens", "list", "t", "--name", "x"], ["tenants", "list", "--bogus"]]) {
        const run = await rosterInProcess(args, env);
        expect(run.code, args.join(" ")).to.equal(2);
        expect(run.stderr, args.join(" ")).to.match(/roster --help/);
      }
    });
  });

  it("exits 2 when ROSTER_ADMIN_TOKEN is not set", async () => {
    const run = await rosterInProcess(["tenants", "list"], { ROSTER_URL: server.url });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("ROSTER_ADMIN_TOKEN");
  });

  it("exits 3 and says so when the server cannot be reached", async () => {
    const run = await rosterInProcess(["tenants", "list", "--url", "http://127.0.0.1:9"], { ROSTER_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(run.code).to.equal(3);
    expect(run.stderr).to.match(/cannot reach the Roster server at http:\/\/127\.0\.0\.1:9/);
  });

  it("exits 1 with the server's status, detail and errors when refused", async () => {
    const wrongToken = await rosterInProcess(["tenants", "list"], { ...env, ROSTER_ADMIN_TOKEN: "not-the-admin-token" });
    expect(wrongToken.code).to.equal(1);
    expect(wrongToken.stderr).to.match(/^roster: 401 /);
    const invalid = await rosterInProcess(["tenants", "create", "Bad_Id"], env);
    expect(invalid.code).to.equal(1);
    expect(invalid.stderr).to.match(/400/);
    expect(invalid.stderr).to.include("  /id ");
  });

  it("manages a tenant end to end: create, token, SCIM access, policy, owner, seats, revoke, delete [child process]", async function () {
    this.timeout(120_000);
    const tenant = `cli-${Date.now().toString(36)}`;
    const created = await roster(["tenants", "create", tenant, "--name", "CLI Corp"], env);
    expect(created.code, created.stderr).to.equal(0);
    expect(JSON.parse(created.stdout)).to.deep.equal({ id: tenant, name: "CLI Corp" });

    const listed = await roster(["tenants", "list"], env);
    expect(JSON.parse(listed.stdout).tenants).to.deep.include({ id: tenant, name: "CLI Corp" });

    const issued = await roster(["tokens", "issue", tenant, "--label", "okta"], env);
    expect(issued.code, issued.stderr).to.equal(0);
    const token = JSON.parse(issued.stdout);
    expect(token).to.include({ label: "okta" });
    expect(issued.stderr).to.match(/not show it again/);
    const user = await request(`${server.url}/scim/v2/Users`, "POST", { token: token.token, body: userBody("cli.owner") });
    expect(user.status).to.equal(201);

    const tokens = JSON.parse((await roster(["tokens", "list", tenant], env)).stdout).tokens;
    expect(tokens.map((entry: { id: string }) => entry.id)).to.deep.equal([token.id]);
    expect(JSON.stringify(tokens)).to.not.include(token.token);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-cli-"));
    const file = path.join(dir, "policy.json");
    fs.writeFileSync(file, JSON.stringify({ seatLimit: 5, reassignReportsTo: "owner" }));
    const set = await roster(["policy", "set", tenant, "--file", file], env);
    expect(set.code, set.stderr).to.equal(0);
    const policy = JSON.parse((await roster(["policy", "get", tenant], env)).stdout);
    expect(policy).to.include({ seatLimit: 5, reassignReportsTo: "owner", revokeApiKeys: true });

    const owner = await roster(["owner", "set", tenant, user.body.id], env);
    expect(owner.code, owner.stderr).to.equal(0);
    expect(JSON.parse((await roster(["owner", "get", tenant], env)).stdout)).to.deep.equal({ userId: user.body.id });

    expect(JSON.parse((await roster(["seats", tenant], env)).stdout)).to.deep.equal({ limit: 5, used: 1, organization: null });

    const audit = JSON.parse((await roster(["audit", tenant, "--action", "owner.update"], env)).stdout);
    expect(audit.entries).to.have.length(1);

    const revoked = await roster(["tokens", "revoke", tenant, token.id], env);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect((await request(`${server.url}/scim/v2/Users`, "GET", { token: token.token })).status).to.equal(401);

    const deleted = await roster(["tenants", "delete", tenant], env);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(JSON.parse((await roster(["tenants", "list"], env)).stdout).tenants.map((entry: { id: string }) => entry.id)).to.not.include(tenant);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("checks a policy file against the policy schema before sending it", async function () {
    this.timeout(60_000);
    const tenant = `cli-p-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const run = await roster(["policy", "set", tenant, "--file", "-"], env, JSON.stringify({ seatLimit: -1, colour: "red" }));
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include("/seatLimit");
    expect(run.stderr).to.include("/colour");
    const notJson = await roster(["policy", "set", tenant, "--file", "-"], env, "{nope");
    expect(notJson.code).to.equal(2);
    expect(JSON.parse((await roster(["policy", "get", tenant], env)).stdout).seatLimit).to.equal(null);
  });

  it("clears the owner with `owner clear` and lists a user's credentials", async () => {
    const tenant = `cli-o-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const token = JSON.parse((await rosterInProcess(["tokens", "issue", tenant], env)).stdout).token;
    const user = await request(`${server.url}/scim/v2/Users`, "POST", { token, body: userBody("cli.user") });
    await rosterInProcess(["owner", "set", tenant, user.body.id], env);
    const cleared = await rosterInProcess(["owner", "clear", tenant], env);
    expect(JSON.parse(cleared.stdout)).to.deep.equal({ userId: null });
    const session = await rosterInProcess(["users", "add-session", tenant, user.body.id, "--label", "web"], env);
    expect(session.code, session.stderr).to.equal(0);
    const credentials = JSON.parse((await rosterInProcess(["users", "credentials", tenant, user.body.id], env)).stdout);
    expect(credentials.sessions).to.have.length(1);
    expect(JSON.parse((await rosterInProcess(["users", "access", tenant, user.body.id], env)).stdout)).to.deep.equal({ allowed: true });
    const erase = await rosterInProcess(["users", "erase", tenant, user.body.id], env);
    expect(erase.code).to.equal(1);
    expect(erase.stderr).to.match(/^roster: 409 /);
  });

  it("plans and offboards a leader with chosen leads, then reactivates and removes [users plan|deactivate|reactivate|remove]", async () => {
    const tenant = `cli-f-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const token = JSON.parse((await rosterInProcess(["tokens", "issue", tenant], env)).stdout).token;
    const create = async (userName: string, manager?: string) =>
      (await request(`${server.url}/scim/v2/Users`, "POST", { token, body: userBody(userName, manager ? { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: manager } } } : {}) })).body.id as string;
    const leader = await create("cli.leader");
    const [r1, r2] = [await create("cli.r1", leader), await create("cli.r2", leader)];
    const spare = await create("cli.spare");

    const defaults = JSON.parse((await rosterInProcess(["users", "plan", tenant, leader], env)).stdout);
    expect(defaults).to.include({ action: "deactivate", allowed: true });
    expect(defaults.successor).to.equal(null);
    const planned = await rosterInProcess(["users", "plan", tenant, leader, "--action", "remove", "--successor", spare, "--reports", `${r2}=${r1}`, "--api-keys", "keep"], env);
    expect(planned.code, planned.stderr).to.equal(0);
    const plan = JSON.parse(planned.stdout);
    expect(plan.reports.map((r: any) => [r.id, r.newManager])).to.deep.equal([[r1, spare], [r2, r1]]);
    expect(plan.choices).to.deep.equal({ successor: spare, reassign: { reports: { [r2]: r1 } }, revokeApiKeys: false });

    const bad = await rosterInProcess(["users", "deactivate", tenant, leader, "--successor", leader], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include("/successor");
    expect((await rosterInProcess(["users", "deactivate", tenant, leader, "--reports", "nonsense"], env)).code).to.equal(2);
    expect((await rosterInProcess(["users", "deactivate", tenant, leader, "--api-keys", "maybe"], env)).code).to.equal(2);

    const deactivated = await rosterInProcess(["users", "deactivate", tenant, leader, "--successor", spare, "--reports", `${r2}=${r1}`, "--reason", "moved on"], env);
    expect(deactivated.code, deactivated.stderr).to.equal(0);
    expect(JSON.parse(deactivated.stdout).active).to.equal(false);
    const manager = async (id: string) => (await request(`${server.url}/scim/v2/Users/${id}`, "GET", { token })).body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?.manager?.value;
    expect([await manager(r1), await manager(r2)]).to.deep.equal([spare, r1]);
    const audit = JSON.parse((await rosterInProcess(["audit", tenant, "--action", "user.deactivate"], env)).stdout);
    expect(audit.entries[0]).to.include({ reason: "moved on" });

    const back = await rosterInProcess(["users", "reactivate", tenant, leader, "--reason", "returned"], env);
    expect(JSON.parse(back.stdout).active).to.equal(true);
    const removed = await rosterInProcess(["users", "remove", tenant, leader], env);
    expect(removed.code, removed.stderr).to.equal(0);
    expect(removed.stdout).to.equal(`Removed user ${leader}.\n`);
    await rosterInProcess(["tenants", "delete", tenant], env);
  });

  it("prints the offboarding commands with `roster users --help`", async () => {
    const run = await rosterInProcess(["users", "--help"], env);
    expect(run.stdout).to.include("roster users plan <tenant> <userId>");
    expect(run.stdout).to.include("roster users credentials <tenant> <userId>");
    expect(run.stdout).to.not.include("roster tokens issue");
  });

  it("creates, lists and deletes OAuth clients; the created client gets an access token at /oauth/token", async () => {
    const tenant = `cli-oa-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const created = await rosterInProcess(["oauth-clients", "create", tenant, "--label", "entra"], env);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stderr).to.match(/not show it again/);
    const client = JSON.parse(created.stdout);
    expect(client).to.include({ label: "entra" });
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }).toString();
    const issued = await request(`${server.url}/oauth/token`, "POST", { body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200);
    const listed = JSON.parse((await rosterInProcess(["oauth-clients", "list", tenant], env)).stdout).oauthClients;
    expect(listed.map((entry: { clientId: string }) => entry.clientId)).to.deep.equal([client.clientId]);
    expect(JSON.stringify(listed)).to.not.include(client.clientSecret);
    const deleted = await rosterInProcess(["oauth-clients", "delete", tenant, client.clientId], env);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect((await request(`${server.url}/scim/v2/Users`, "GET", { token: issued.body.access_token })).status).to.equal(401);
    expect((await rosterInProcess(["oauth-clients", "--help"], env)).stdout).to.include("roster oauth-clients create <tenant>");
    await rosterInProcess(["tenants", "delete", tenant], env);
  });

  it("creates, shows, changes and deletes an organization, and attaches a tenant to it", async () => {
    const org = `cli-org-${Date.now().toString(36)}`;
    const tenant = `cli-ot-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const created = await rosterInProcess(["organizations", "create", org, "--name", "Acme", "--seat-limit", "3"], env);
    expect(created.code, created.stderr).to.equal(0);
    expect(JSON.parse(created.stdout)).to.deep.equal({ id: org, name: "Acme", seatLimit: 3, used: 0, tenants: [] });
    const bad = await rosterInProcess(["organizations", "create", `${org}-x`, "--seat-limit", "many"], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include("--seat-limit");

    expect((await rosterInProcess(["tenants", "set-organization", tenant, org], env)).code).to.equal(0);
    expect(JSON.parse((await rosterInProcess(["tenants", "organization", tenant], env)).stdout)).to.deep.equal({ organizationId: org });
    expect(JSON.parse((await rosterInProcess(["seats", tenant], env)).stdout)).to.deep.equal({ limit: null, used: 0, organization: { id: org, limit: 3, used: 0 } });
    const listed = JSON.parse((await rosterInProcess(["organizations", "list"], env)).stdout).organizations;
    expect(listed.find((entry: { id: string }) => entry.id === org).tenants).to.deep.equal([tenant]);
    const inUse = await rosterInProcess(["organizations", "delete", org], env);
    expect(inUse.code).to.equal(1);
    expect(inUse.stderr).to.match(/^roster: 409 /);

    const changed = await rosterInProcess(["organizations", "set", org, "--seat-limit", "none"], env);
    expect(JSON.parse(changed.stdout)).to.include({ name: org, seatLimit: null });
    expect((await rosterInProcess(["tenants", "clear-organization", tenant], env)).code).to.equal(0);
    const deleted = await rosterInProcess(["organizations", "delete", org], env);
    expect(deleted.code, deleted.stderr).to.equal(0);
    expect(deleted.stdout).to.include(`Deleted organization ${org}`);
    expect((await rosterInProcess(["organizations", "show", org], env)).code).to.equal(1);
    expect((await rosterInProcess(["organizations", "--help"], env)).stdout).to.include("roster organizations create <id>");
    await rosterInProcess(["tenants", "delete", tenant], env);
  });

  it("moves from the bootstrap token to a named administrator: admins create, me, list, update, revoke [child process]", async function () {
    this.timeout(60_000);
    const tenant = `cli-adm-${Date.now().toString(36)}`;
    await rosterInProcess(["tenants", "create", tenant], env);
    const created = await roster(["admins", "create", "Ada Lovelace", "--role", "manager", "--tenants", tenant, "--email", "ada@example.com"], env);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stderr).to.match(/not show it again/);
    const ada = JSON.parse(created.stdout);
    expect(ada).to.include({ name: "Ada Lovelace", role: "manager", email: "ada@example.com" });
    expect(ada.tenants).to.deep.equal([tenant]);
    const asAda = { ...env, ROSTER_ADMIN_TOKEN: ada.token };
    expect(JSON.parse((await rosterInProcess(["admins", "me"], asAda)).stdout)).to.deep.equal({ id: ada.id, name: "Ada Lovelace", role: "manager", tenants: [tenant] });
    expect(JSON.parse((await rosterInProcess(["tenants", "list"], asAda)).stdout).tenants.map((entry: { id: string }) => entry.id)).to.deep.equal([tenant]);
    const issued = await rosterInProcess(["tokens", "issue", tenant, "--label", "okta"], asAda);
    expect(issued.code, issued.stderr).to.equal(0);
    const refused = await rosterInProcess(["admins", "list"], asAda);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/403 .*needs the owner role of all tenants/);
    const listed = JSON.parse((await rosterInProcess(["admins", "list"], env)).stdout).administrators;
    expect(listed.find((entry: { id: string }) => entry.id === ada.id)).to.include({ name: "Ada Lovelace" });
    expect(JSON.stringify(listed)).to.not.include(ada.token);
    const audit = JSON.parse((await rosterInProcess(["audit", tenant, "--actor", `admin:${ada.id}`], env)).stdout).entries;
    expect(audit.map((entry: { action: string; actorName: string }) => [entry.action, entry.actorName])).to.deep.equal([["token.create", "Ada Lovelace"]]);
    const updated = await rosterInProcess(["admins", "update", ada.id, "--role", "viewer", "--tenants", "*"], env);
    expect(updated.code, updated.stderr).to.equal(0);
    expect(JSON.parse(updated.stdout)).to.include({ role: "viewer" });
    expect(JSON.parse(updated.stdout).tenants).to.deep.equal(["*"]);
    expect((await rosterInProcess(["admins", "update", ada.id], env)).code).to.equal(2);
    expect((await rosterInProcess(["admins", "create", "No Role"], env)).code).to.equal(2);
    const revoked = await rosterInProcess(["admins", "revoke", ada.id], env);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.match(/no longer works/);
    const gone = await rosterInProcess(["admins", "me"], asAda);
    expect(gone.code).to.equal(1);
    expect(gone.stderr).to.match(/^roster: 401/);
    expect((await rosterInProcess(["admins", "--help"], env)).stdout).to.include("roster admins create <name>");
    await rosterInProcess(["tenants", "delete", tenant], env);
  });
});
