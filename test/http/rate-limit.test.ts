import { expect } from "chai";
import { loadConfig } from "../../src/config/load-config";
import { request, startTestServer, type HttpResult, type TestServer } from "../support/test-server";
import { createUser, expectScimError, filterQuery } from "../support/scim";
import { childServer, startRosterChild, type RosterChild } from "../support/roster-child";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { LIST_RESPONSE } from "../support/urns";

describe("rate limiting (SPEC §7)", () => {
  // 1 request/s with a burst of 2; each test uses fresh tenants, so only their own tokens' buckets matter
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimit: { perSecond: 1, burst: 2 } });
  });
  after(async () => server.close());

  it("answers the third quick request of one token with a SCIM 429 and Retry-After", async () => {
    const tenant = await freshTenant(server);
    expect((await tenant.scim("GET", "/Users")).status).to.equal(200);
    expect((await tenant.scim("GET", "/Users")).status).to.equal(200);
    const limited = await tenant.scim("GET", "/Users");
    expectScimError(limited, 429);
    expect(Number(limited.headers.get("retry-after"))).to.be.within(1, 2);
    expect(limited.headers.get("x-request-id")).to.be.a("string");
  });

  it("limits each token on its own", async () => {
    const [first, second] = await Promise.all([freshTenant(server), freshTenant(server)]);
    for (let index = 0; index < 2; index++) expect((await first.scim("GET", "/Users")).status).to.equal(200);
    expect((await first.scim("GET", "/Users")).status).to.equal(429);
    expect((await second.scim("GET", "/Users")).status).to.equal(200);
  });

  it("lets the token through again once its bucket refilled", async function () {
    this.timeout(10_000);
    const tenant = await freshTenant(server);
    for (let index = 0; index < 2; index++) await tenant.scim("GET", "/Users");
    const limited = await tenant.scim("GET", "/Users");
    expect(limited.status).to.equal(429);
    await new Promise((resolve) => setTimeout(resolve, Number(limited.headers.get("retry-after")) * 1000));
    expect((await tenant.scim("GET", "/Users")).status).to.equal(200);
  });

  it("limits unauthenticated requests per address: 401 until the bucket is empty, then 429", async () => {
    const url = `${server.url}/scim/v2/Users`;
    const first = await request(url, "GET", { token: "wrong-token" });
    const second = await request(url, "GET");
    expectScimError(first, 401);
    expectScimError(second, 401);
    const third = await request(url, "GET", { token: "another-wrong-token" });
    expectScimError(third, 429);
    expect(third.headers.get("www-authenticate")).to.equal(null);
    expect(Number(third.headers.get("retry-after"))).to.be.within(1, 2);
    // a valid token is limited by its own bucket, not by the address's failures
    const tenant = await freshTenant(server);
    expect((await tenant.scim("GET", "/Users")).status).to.equal(200);
  });

  it("does not limit when the limit is 0 [the test default]", async () => {
    const tenant = await freshTenant(await sharedTestServer());
    const statuses = await Promise.all(Array.from({ length: 10 }, () => tenant.scim("GET", "/ServiceProviderConfig").then((result) => result.status)));
    expect(statuses.every((status) => status === 200)).to.equal(true);
  });
});

describe("rate limiting at the default limit, a burst of lookups (SPEC §7, issue 9)", () => {
  // an IdP's import: 600 userName lookups from 50 concurrent clients, all with one token
  const REQUESTS = 600;
  const CLIENTS = 50;
  const limit = loadConfig({}).rateLimit;
  // the real server in its own process (its own core, as deployed), with ROSTER_RATE_LIMIT unset: the default
  let child: RosterChild;
  before(async function () {
    this.timeout(60_000);
    child = await startRosterChild({ ROSTER_RATE_LIMIT: "", LOG_LEVEL: "warn" });
  });
  after(async () => child?.stop());

  it("the default is 100 requests/s with bursts of 200", () => {
    expect(limit).to.deep.equal({ perSecond: 100, burst: 200 });
  });

  it("answers 200 as long as the bucket holds tokens and 429 with Retry-After and a SCIM error once it is empty", async function () {
    this.timeout(120_000);
    const tenant = await freshTenant(childServer(child));
    const userNames = ["burst.one", "burst.two", "burst.three"];
    for (const userName of userNames) await createUser(tenant, userName);
    const setupRequests = userNames.length;

    const results: Array<{ userName: string; result: HttpResult }> = [];
    let next = 0;
    const begun = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < REQUESTS) {
          const userName = userNames[next++ % userNames.length];
          results.push({ userName, result: await tenant.scim("GET", `/Users${filterQuery(`userName eq "${userName}"`)}`) });
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - begun) / 1e9;

    const ok = results.filter(({ result }) => result.status === 200);
    const limited = results.filter(({ result }) => result.status === 429);
    const summary = `${ok.length}×200, ${limited.length}×429 in ${seconds.toFixed(2)} s (${(REQUESTS / seconds).toFixed(0)} req/s)`;
    expect(ok.length + limited.length, `only 200 and 429: ${summary}`).to.equal(REQUESTS);
    // the bucket held at most `burst` tokens at the start and refilled at `perSecond` meanwhile…
    expect(ok.length, summary).to.be.at.most(limit.burst + limit.perSecond * seconds);
    // …and at least what the setup left of a full bucket, so the burst itself is never refused
    expect(ok.length, summary).to.be.at.least(limit.burst - setupRequests);
    // a server that answers faster than the limit runs the bucket dry
    expect(limited.length, `the server answered slower than the limit: ${summary}`).to.be.at.least(1);
    for (const { userName, result } of ok) {
      expect(result.body.schemas).to.deep.equal([LIST_RESPONSE]);
      expect(result.body.totalResults).to.equal(1);
      expect(result.body.Resources[0].userName).to.equal(userName);
    }
    for (const { result } of limited) {
      expectScimError(result, 429);
      // whole seconds until one token is back: 1 at 100/s
      expect(result.headers.get("retry-after")).to.equal(String(Math.max(1, Math.ceil(1 / limit.perSecond))));
    }
  });
});
