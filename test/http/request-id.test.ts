import { expect } from "chai";
import { request, type TestServer } from "../support/test-server";
import { patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("X-Request-Id (SPEC §2)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("keeps a well-formed incoming id", async () => {
    const tenant = await freshTenant(server);
    for (const id of ["abc-123", "Okta.req:42_x", "a".repeat(128)]) {
      const result = await tenant.scim("GET", "/Users", undefined, { "X-Request-Id": id });
      expect(result.headers.get("x-request-id")).to.equal(id);
    }
  });

  for (const [variant, id] of [
    ["too long", "a".repeat(129)],
    ["spaces", "two words"],
    ["markup", "<script>"],
    ["slash", "a/b"],
  ] as const) {
    it(`replaces a malformed incoming id [${variant}]`, async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/Users", undefined, { "X-Request-Id": id });
      expect(result.headers.get("x-request-id")).to.match(UUID);
    });
  }

  it("is present on every response [200, 201, 204, 304, 400, 401, 404, 409, healthz, unknown path]", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", { userName: "rid.user" });
    const responses = [
      await tenant.scim("GET", "/Users"),
      created,
      await tenant.scim("GET", `/Users/${created.body.id}`, undefined, { "If-None-Match": created.body.meta.version }),
      await tenant.scim("POST", "/Users", "{broken"),
      await tenant.scim("POST", "/Users", { userName: "RID.user" }),
      await tenant.scim("PATCH", `/Users/${created.body.id}`, patchOp({ op: "bogus" })),
      await tenant.scim("GET", "/Users/nope"),
      await tenant.scim("DELETE", `/Users/${created.body.id}`),
      await request(`${server.url}/scim/v2/Users`, "GET"),
      await request(`${server.url}/healthz`, "GET"),
      await request(`${server.url}/nothing-here`, "GET"),
      await tenant.scim("GET", "/ServiceProviderConfig"),
    ];
    expect(responses.map((response) => response.status)).to.deep.equal([200, 201, 304, 400, 409, 400, 404, 204, 401, 200, 404, 200]);
    for (const response of responses) expect(response.headers.get("x-request-id")).to.match(UUID);
  });

  it("gives every request its own id", async () => {
    const tenant = await freshTenant(server);
    const ids = await Promise.all(Array.from({ length: 5 }, () => tenant.scim("GET", "/Users").then((result) => result.headers.get("x-request-id"))));
    expect(new Set(ids).size).to.equal(5);
  });
});
