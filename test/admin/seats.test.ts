import { expect } from "chai";
import { newTenant, startTestServer, userBody, type TestServer } from "../support/test-server";
import { createUserId, deactivate, remove } from "../support/scim";

describe("/admin/v1/tenants/:tenant/seats", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("returns {limit: null, used: 0, organization: null} for a new tenant", async () => {
    const tenant = await newTenant(server);
    const seats = await tenant.admin("GET", "/seats");
    expect(seats.status).to.equal(200);
    expect(seats.body).to.deep.equal({ limit: null, used: 0, organization: null });
  });

  it("counts created and deactivated users but not removed ones", async () => {
    const tenant = await newTenant(server);
    const first = await createUserId(tenant, "seat.one");
    const second = await createUserId(tenant, "seat.two");
    await createUserId(tenant, "seat.three", { active: false });
    expect((await tenant.admin("GET", "/seats")).body.used).to.equal(3);
    await deactivate(tenant, first);
    expect((await tenant.admin("GET", "/seats")).body.used, "a deactivated user keeps the seat").to.equal(3);
    await remove(tenant, second);
    expect((await tenant.admin("GET", "/seats")).body.used, "a removed user frees the seat").to.equal(2);
    await remove(tenant, first);
    expect((await tenant.admin("GET", "/seats")).body.used).to.equal(1);
  });

  it("shows the policy's seatLimit, and creation stops at it", async () => {
    const tenant = await newTenant(server);
    await tenant.admin("PUT", "/policy", { seatLimit: 1 });
    await createUserId(tenant, "only.seat");
    expect((await tenant.admin("GET", "/seats")).body).to.deep.equal({ limit: 1, used: 1, organization: null });
    const refused = await tenant.scim("POST", "/Users", userBody("no.seat"));
    expect(refused.status).to.equal(403);
    expect((await tenant.admin("GET", "/seats")).body).to.deep.equal({ limit: 1, used: 1, organization: null });
  });

  it("keeps counting users above a lowered limit", async () => {
    const tenant = await newTenant(server);
    await createUserId(tenant, "above.one");
    await createUserId(tenant, "above.two");
    await tenant.admin("PUT", "/policy", { seatLimit: 1 });
    expect((await tenant.admin("GET", "/seats")).body).to.deep.equal({ limit: 1, used: 2, organization: null });
  });
});
