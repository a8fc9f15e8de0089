import { expect } from "chai";
import { hashToken } from "../../src/services/hash-token";
import { AuditModel, OAuthAccessTokenModel, OAuthClientModel } from "../../src/store/models";
import { LIVE_TOKEN_TRUST_MS } from "../../src/store/token-store";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { createUser, expectScimError } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { newTenant, request, startTestServer, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";

const FORM = "application/x-www-form-urlencoded";

interface Client {
  clientId: string;
  clientSecret: string;
}

async function newClient(tenant: TestTenant, label?: string): Promise<Client> {
  const created = await tenant.admin("POST", "/oauth-clients", label === undefined ? {} : { label });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

/** POST /oauth/token with a form body (a string is sent as is) and extra headers. */
function tokenRequest(server: TestServer, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<HttpResult> {
  const body = typeof form === "string" ? form : new URLSearchParams(form).toString();
  return request(`${server.url}/oauth/token`, "POST", { body, headers: { "Content-Type": FORM, ...headers } });
}

async function accessTokenFor(server: TestServer, client: Client): Promise<string> {
  const answer = await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic(client.clientId, client.clientSecret) });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
  return answer.body.access_token;
}

function expectOAuthError(answer: HttpResult, status: number, error: string): void {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
  expect(answer.body.error).to.equal(error);
  expect(answer.body.error_description).to.be.a("string");
  expect(answer.headers.get("cache-control")).to.equal("no-store");
  expect(answer.headers.get("pragma")).to.equal("no-cache");
  if (error === "invalid_client") expect(answer.headers.get("www-authenticate")).to.match(/^Basic realm=/);
}

const scimUsers = (server: TestServer, token: string) => request(`${server.url}/scim/v2/Users`, "GET", { token });

describe("OAuth 2.0 client credentials (RFC 6749 §4.4)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("/admin/v1/tenants/:tenant/oauth-clients", () => {
    it("creates a client whose secret is shown once and stored only as its hash", async () => {
      const tenant = await freshTenant(server);
      const created = await tenant.admin("POST", "/oauth-clients", { label: "entra" });
      expect(created.status).to.equal(201);
      expect(created.headers.get("cache-control")).to.equal("no-store");
      expect(Object.keys(created.body).sort()).to.deep.equal(["clientId", "clientSecret", "createdAt", "label"]);
      expect(created.body.label).to.equal("entra");
      expect(new Date(created.body.createdAt).toISOString()).to.equal(created.body.createdAt);
      const stored = await OAuthClientModel.findById(created.body.clientId).lean().exec();
      expect(stored!.secretHash).to.equal(hashToken(created.body.clientSecret));
      expect(JSON.stringify(stored)).to.not.include(created.body.clientSecret);
    });

    it("lists the tenant's clients without secrets, and only its own", async () => {
      const tenant = await freshTenant(server);
      const other = await freshTenant(server);
      const mine = await newClient(tenant, "okta");
      const theirs = await newClient(other);
      const listed = await tenant.admin("GET", "/oauth-clients");
      expect(listed.status).to.equal(200);
      expect(listed.body.oauthClients).to.have.length(1);
      expect(listed.body.oauthClients[0]).to.deep.include({ clientId: mine.clientId, label: "okta" });
      expect(Object.keys(listed.body.oauthClients[0]).sort()).to.deep.equal(["clientId", "createdAt", "label"]);
      expect(JSON.stringify(listed.body)).to.not.include(mine.clientSecret).and.not.include(theirs.clientId);
    });

    it("answers 400 for a bad label and 404 for an unknown client or another tenant's", async () => {
      const tenant = await freshTenant(server);
      const other = await freshTenant(server);
      expect((await tenant.admin("POST", "/oauth-clients", { label: 5 })).status).to.equal(400);
      expect((await tenant.admin("DELETE", "/oauth-clients/no-such-client")).status).to.equal(404);
      const theirs = await newClient(other);
      expect((await tenant.admin("DELETE", `/oauth-clients/${theirs.clientId}`)).status).to.equal(404);
      expect((await scimUsers(server, await accessTokenFor(server, theirs))).status).to.equal(200);
    });

    it("records oauthClient.create and oauthClient.delete by admin", async () => {
      const tenant = await freshTenant(server);
      const client = await newClient(tenant);
      expect((await tenant.admin("DELETE", `/oauth-clients/${client.clientId}`)).status).to.equal(204);
      const entries = await AuditModel.find({ tenant: tenant.id, target: client.clientId }).lean().exec();
      expect(entries.map((entry) => `${entry.action}:${entry.actor}`).sort()).to.deep.equal(["oauthClient.create:admin:root", "oauthClient.delete:admin:root"]);
      expect(JSON.stringify(entries)).to.not.include(client.clientSecret);
    });
  });

  describe("POST /oauth/token", () => {
    it("issues a Bearer access token by client_secret_basic, not cacheable, stored hashed with its expiry", async () => {
      const client = await newClient(await freshTenant(server));
      const before = Date.now();
      const answer = await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic(client.clientId, client.clientSecret) });
      expect(answer.status).to.equal(200);
      expect(answer.headers.get("content-type")).to.match(/^application\/json/);
      expect(answer.headers.get("cache-control")).to.equal("no-store");
      expect(answer.headers.get("pragma")).to.equal("no-cache");
      expect(Object.keys(answer.body).sort()).to.deep.equal(["access_token", "expires_in", "token_type"]);
      expect(answer.body.token_type).to.equal("Bearer");
      expect(answer.body.expires_in).to.equal(3600);
      const stored = await OAuthAccessTokenModel.findOne({ hash: hashToken(answer.body.access_token) }).lean().exec();
      expect(stored!.clientId).to.equal(client.clientId);
      expect(stored!.expiresAt.getTime()).to.be.within(before + 3600_000 - 1000, Date.now() + 3600_000);
      expect(JSON.stringify(stored)).to.not.include(answer.body.access_token);
    });

    it("issues by client_secret_post, and ignores a scope it does not use", async () => {
      const client = await newClient(await freshTenant(server));
      const answer = await tokenRequest(server, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "scim" });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect((await scimUsers(server, answer.body.access_token)).status).to.equal(200);
    });

    it("answers invalid_client 401 with WWW-Authenticate, the same for a wrong secret and an unknown client", async () => {
      const client = await newClient(await freshTenant(server));
      const wrongSecret = await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic(client.clientId, `${client.clientSecret}x`) });
      const unknown = await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic("no-such-client", client.clientSecret) });
      const wrongPost = await tokenRequest(server, { grant_type: "client_credentials", client_id: client.clientId, client_secret: "guess" });
      for (const answer of [wrongSecret, unknown, wrongPost]) expectOAuthError(answer, 401, "invalid_client");
      // nothing tells a guesser whether the client id exists
      expect(unknown.body).to.deep.equal(wrongSecret.body);
    });

    it("answers invalid_client without credentials, with a half of them, or with another scheme", async () => {
      const client = await newClient(await freshTenant(server));
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials" }), 401, "invalid_client");
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials", client_id: client.clientId }), 401, "invalid_client");
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: `Bearer ${client.clientSecret}` }), 401, "invalid_client");
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: `Basic ${Buffer.from("no-colon").toString("base64")}` }), 401, "invalid_client");
    });

    it("answers unsupported_grant_type for another grant of an authenticated client", async () => {
      const client = await newClient(await freshTenant(server));
      for (const grant of ["password", "authorization_code", "refresh_token"]) {
        expectOAuthError(await tokenRequest(server, { grant_type: grant }, { Authorization: basic(client.clientId, client.clientSecret) }), 400, "unsupported_grant_type");
      }
    });

    it("answers invalid_request: no grant_type, a repeated parameter, both authentication methods, not a form, an oversized form", async () => {
      const client = await newClient(await freshTenant(server));
      const auth = { Authorization: basic(client.clientId, client.clientSecret) };
      expectOAuthError(await tokenRequest(server, {}, auth), 400, "invalid_request");
      expectOAuthError(await tokenRequest(server, { grant_type: "" }, auth), 400, "invalid_request");
      expectOAuthError(await tokenRequest(server, "grant_type=client_credentials&grant_type=client_credentials", auth), 400, "invalid_request");
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }, auth), 400, "invalid_request");
      expectOAuthError(await tokenRequest(server, JSON.stringify({ grant_type: "client_credentials" }), { ...auth, "Content-Type": "application/json" }), 400, "invalid_request");
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials", padding: "x".repeat(10_000) }, auth), 400, "invalid_request");
    });

    it("answers 405 with Allow: POST to other methods", async () => {
      const answer = await request(`${server.url}/oauth/token`, "GET");
      expect(answer.status).to.equal(405);
      expect(answer.headers.get("allow")).to.equal("POST");
      expect(answer.headers.get("cache-control")).to.equal("no-store");
    });
  });

  describe("SCIM with an access token", () => {
    it("is accepted like a static token, and audits the client as the actor, with its label", async () => {
      const tenant = await freshTenant(server);
      const client = await newClient(tenant, "entra-gallery");
      const token = await accessTokenFor(server, client);
      const created = await createUser({ ...tenant, token, scim: (method, path, body, headers) => request(`${server.url}/scim/v2${path}`, method, { token, body, headers }) }, "oauth.user");
      const entries = await AuditModel.find({ tenant: tenant.id, target: created.id }).lean().exec();
      expect(entries.map((entry) => [entry.actor, entry.actorName])).to.deep.equal([[client.clientId, "entra-gallery"]]);
      const listed = await request(`${server.url}/scim/v2/Users`, "GET", { token });
      expect(listed.body.totalResults).to.equal(1);
    });

    it("reads only its own tenant: tenant A's token never sees tenant B's users", async () => {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const user = await createUser(b, "only.in.b");
      const token = await accessTokenFor(server, await newClient(a));
      const read = await request(`${server.url}/scim/v2/Users/${user.id}`, "GET", { token });
      expectScimError(read, 404);
      const listed = await request(`${server.url}/scim/v2/Users`, "GET", { token });
      expect(listed.body.totalResults).to.equal(0);
    });

    it("stops working once expired, whatever the database's TTL index does", async () => {
      const client = await newClient(await freshTenant(server));
      const unused = await accessTokenFor(server, client);
      await OAuthAccessTokenModel.updateOne({ hash: hashToken(unused) }, { $set: { expiresAt: new Date(Date.now() - 1000) } }).exec();
      expectScimError(await scimUsers(server, unused), 401);
      // a token in use (so trusted by this process) ends at its expiry too
      const used = await accessTokenFor(server, client);
      expect((await scimUsers(server, used)).status).to.equal(200);
      await OAuthAccessTokenModel.updateOne({ hash: hashToken(used) }, { $set: { expiresAt: new Date(Date.now() - 1000) } }).exec();
      await new Promise((resolve) => setTimeout(resolve, LIVE_TOKEN_TRUST_MS + 50));
      expectScimError(await scimUsers(server, used), 401);
      // expired tokens are dropped when the client gets its next one (no reliance on a TTL index)
      const fresh = await accessTokenFor(server, client);
      const left = await OAuthAccessTokenModel.find({ clientId: client.clientId }).lean().exec();
      expect(left.map((token) => token.hash)).to.deep.equal([hashToken(fresh)]);
    });

    it("stops working as soon as the DELETE of its client returns, and the client gets no new token", async () => {
      const tenant = await freshTenant(server);
      const client = await newClient(tenant);
      const other = await newClient(tenant);
      const token = await accessTokenFor(server, client);
      const otherToken = await accessTokenFor(server, other);
      expect((await scimUsers(server, token)).status).to.equal(200);
      expect((await tenant.admin("DELETE", `/oauth-clients/${client.clientId}`)).status).to.equal(204);
      const refused = await scimUsers(server, token);
      expectScimError(refused, 401);
      expect(refused.headers.get("www-authenticate")).to.match(/^Bearer/);
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic(client.clientId, client.clientSecret) }), 401, "invalid_client");
      expect((await scimUsers(server, otherToken)).status, "the tenant's other clients keep working").to.equal(200);
      expect((await scimUsers(server, tenant.token)).status, "static tokens keep working").to.equal(200);
      expect(await OAuthAccessTokenModel.countDocuments({ clientId: client.clientId }).exec()).to.equal(0);
    });

    it("stops working when its tenant is deleted, and its client and tokens go with the tenant", async () => {
      const tenant = await newTenant(server);
      const client = await newClient(tenant);
      const token = await accessTokenFor(server, client);
      expect((await scimUsers(server, token)).status).to.equal(200);
      expect(await deleteTenantCascade(tenant.id)).to.equal(true);
      expectScimError(await scimUsers(server, token), 401);
      expectOAuthError(await tokenRequest(server, { grant_type: "client_credentials" }, { Authorization: basic(client.clientId, client.clientSecret) }), 401, "invalid_client");
      expect(await OAuthClientModel.countDocuments({ tenant: tenant.id }).exec()).to.equal(0);
      expect(await OAuthAccessTokenModel.countDocuments({ tenant: tenant.id }).exec()).to.equal(0);
    });

    it("is not a static token and a static token is not an access token: a made-up rat_ token is 401", async () => {
      expectScimError(await scimUsers(server, "rat_made-up-token-that-was-never-issued"), 401);
    });
  });

  describe("across processes", () => {
    // a second Roster process on the same database, which trusts a token it has just seen live
    let child: RosterChild;
    before(async function () {
      this.timeout(60_000);
      child = await startRosterChild({ LOG_LEVEL: "warn" });
    });
    after(async () => child?.stop());

    it("accepts a token another process issued, and refuses it once the client's DELETE returned in the first", async () => {
      const tenant = await freshTenant(server);
      const client = await newClient(tenant);
      const token = await accessTokenFor(server, client);
      expect((await scimUsers({ url: child.url } as TestServer, token)).status).to.equal(200);
      expect((await tenant.admin("DELETE", `/oauth-clients/${client.clientId}`)).status).to.equal(204);
      expectScimError(await scimUsers({ url: child.url } as TestServer, token), 401);
    });
  });

  describe("rate limits", () => {
    // 1 request/s with a burst of 3: three token requests from this address, then each client's bucket
    let limited: TestServer;
    before(async () => {
      limited = await startTestServer({ rateLimit: { perSecond: 1, burst: 3 } });
    });
    after(async () => limited.close());

    it("limits SCIM per client, across the client's access tokens, and each client on its own; the token endpoint per address", async function () {
      this.timeout(10_000);
      const tenant = await freshTenant(limited);
      const first = await newClient(tenant);
      const second = await newClient(tenant);
      const firstA = await accessTokenFor(limited, first);
      const firstB = await accessTokenFor(limited, first);
      const secondA = await accessTokenFor(limited, second);
      expectOAuthError(await tokenRequest(limited, { grant_type: "client_credentials" }, { Authorization: basic(first.clientId, first.clientSecret) }), 429, "invalid_request");
      for (const token of [firstA, firstA, firstB]) expect((await scimUsers(limited, token)).status).to.equal(200);
      expectScimError(await scimUsers(limited, firstB), 429);
      expect((await scimUsers(limited, secondA)).status).to.equal(200);
    });
  });
});
