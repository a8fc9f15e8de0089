import { expect } from "chai";
import { request, startTestServer, type TestServer } from "../support/test-server";
import { expectScimError } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";

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
