import { expect } from "chai";
import { userBody, type TestServer } from "../support/test-server";
import { freshTenant, sharedTestServer } from "../support/shared-server";

describe("SCIM smoke", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("creates a user and finds it by userName [case differs]", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", userBody("Smoke.User"));
    expect(created.status).to.equal(201);
    const found = await tenant.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "SMOKE.USER"')}`);
    expect(found.body.totalResults).to.equal(1);
    expect(found.body.Resources[0].id).to.equal(created.body.id);
  });
});
