import { expect } from "chai";
import mongoose from "mongoose";
import { TEST_DB_NAME, testDatabaseUri } from "../support/root-hooks";
import { ADMIN_TOKEN, newTenant, request, startTestServer, userBody, type TestServer, type TestTenant } from "../support/test-server";

/**
 * Closes the driver client under mongoose (the database is unreachable for this
 * process: every operation fails with the driver's own error), runs `work`, then
 * reconnects so later tests find the database again.
 */
async function withDatabaseUnreachable(work: () => Promise<void>): Promise<void> {
  await mongoose.connection.getClient().close(true);
  try {
    await work();
  } finally {
    await mongoose.disconnect();
    await mongoose.connect(testDatabaseUri(), { dbName: TEST_DB_NAME, serverSelectionTimeoutMS: 10_000 });
  }
}

describe("database outage over HTTP", function () {
  this.timeout(60_000);
  let server: TestServer;
  let tenant: TestTenant;
  let userId: string;

  before(async () => {
    server = await startTestServer();
    tenant = await newTenant(server, "outage");
    const created = await tenant.scim("POST", "/Users", userBody(`outage-${Date.now()}`));
    expect(created.status).to.equal(201);
    userId = created.body.id;
  });
  after(async () => {
    await server.close();
  });

  it("answers 503 with Retry-After and a SCIM error [GET /Users/:id]", async () => {
    await withDatabaseUnreachable(async () => {
      const result = await tenant.scim("GET", `/Users/${userId}`);
      expect(result.status).to.equal(503);
      expect(Number(result.headers.get("retry-after"))).to.be.greaterThan(0);
      expect(result.body).to.deep.equal({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "503", detail: "The database is unavailable; retry later" });
    });
  });

  it("answers 503 with Retry-After and a SCIM error [GET /Users list]", async () => {
    await withDatabaseUnreachable(async () => {
      const result = await tenant.scim("GET", "/Users?filter=userName%20eq%20%22x%22");
      expect(result.status).to.equal(503);
      expect(Number(result.headers.get("retry-after"))).to.be.greaterThan(0);
      expect(result.body.detail).to.equal("The database is unavailable; retry later");
    });
  });

  it("answers 503 with Retry-After and an admin error [GET /admin/v1/tenants/:id/policy]", async () => {
    await withDatabaseUnreachable(async () => {
      const result = await request(`${server.url}/admin/v1/tenants/${tenant.id}/policy`, "GET", { token: ADMIN_TOKEN });
      expect(result.status).to.equal(503);
      expect(Number(result.headers.get("retry-after"))).to.be.greaterThan(0);
      expect(result.body).to.deep.equal({ status: 503, detail: "The database is unavailable; retry later", errors: [] });
    });
  });

  it("answers /healthz and /readyz 503 [probes]", async () => {
    await withDatabaseUnreachable(async () => {
      const health = await request(`${server.url}/healthz`, "GET");
      const ready = await request(`${server.url}/readyz`, "GET");
      expect([health.status, health.body]).to.deep.equal([503, { status: "unavailable" }]);
      expect([ready.status, ready.body]).to.deep.equal([503, { status: "unavailable" }]);
    });
    expect((await request(`${server.url}/readyz`, "GET")).status).to.equal(200);
  });

  it("serves again once the database is back", async () => {
    const result = await tenant.scim("GET", `/Users/${userId}`);
    expect(result.status).to.equal(200);
  });
});
