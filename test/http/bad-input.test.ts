import { expect } from "chai";
import mongoose from "mongoose";
import { UserModel } from "../../src/store/models";
import { request, userBody, type TestServer, type TestTenant } from "../support/test-server";
import { createUser, expectNoStackTrace, expectScimError, list } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { CORE_GROUP, CORE_USER } from "../support/urns";

async function expectNoUsers(tenant: TestTenant): Promise<void> {
  expect((await list(tenant, "/Users")).totalResults).to.equal(0);
}

describe("bad input and failures (RFC 7644 §3.12)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("POST /Users", () => {
    it("answers 400 invalidSyntax to malformed JSON and stores nothing", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("POST", "/Users", '{"userName": "broken",'), 400, "invalidSyntax");
      await expectNoUsers(tenant);
    });

    it("answers 400 invalidSyntax to malformed JSON sent as application/json [Okta]", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("POST", "/Users", "{not json", { "Content-Type": "application/json" }), 400, "invalidSyntax");
      await expectNoUsers(tenant);
    });

    it("answers 400 to an unknown attribute and stores nothing [policy unknownAttributes: reject]", async () => {
      const tenant = await freshTenant(server);
      await givePolicy(tenant, { unknownAttributes: "reject" });
      const result = await tenant.scim("POST", "/Users", userBody("unknown.attr", { favouriteColour: "blue" }));
      expectScimError(result, 400, "invalidSyntax");
      expect(result.body.detail).to.include("favouriteColour");
      await expectNoUsers(tenant);
    });

    it("answers 400 invalidValue to a wrong type [userName: 5] and stores nothing", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], userName: 5 });
      expectScimError(result, 400, "invalidValue");
      await expectNoUsers(tenant);
    });

    it("answers 400 invalidValue to a wrong type [active: \"maybe\"] and stores nothing", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("POST", "/Users", userBody("typed.user", { active: "maybe" })), 400, "invalidValue");
      await expectNoUsers(tenant);
    });

    it("answers 400 to a $-prefixed key [top level] and stores nothing [policy unknownAttributes: reject]", async () => {
      const tenant = await freshTenant(server);
      await givePolicy(tenant, { unknownAttributes: "reject" });
      expectScimError(await tenant.scim("POST", "/Users", userBody("dollar.user", { $where: "1" })), 400, "invalidSyntax");
      await expectNoUsers(tenant);
    });

    it("answers 400 to a $-prefixed key [nested] and stores nothing [policy unknownAttributes: reject]", async () => {
      const tenant = await freshTenant(server);
      await givePolicy(tenant, { unknownAttributes: "reject" });
      expectScimError(await tenant.scim("POST", "/Users", userBody("dollar.user", { name: { givenName: { $ne: null } } })), 400, "invalidSyntax");
      expectScimError(await tenant.scim("POST", "/Users", userBody("dollar.user", { name: { $set: "x" } })), 400, "invalidSyntax");
      await expectNoUsers(tenant);
    });

    it("leaves $-prefixed keys out under the default policy: no operator reaches the store [top level, nested]", async () => {
      const tenant = await freshTenant(server);
      const created = await tenant.scim("POST", "/Users", userBody("dollar.user", { $where: "1", name: { givenName: { $ne: null }, familyName: "F", $set: "x" } }));
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.name).to.deep.equal({ familyName: "F" });
      const read = await tenant.scim("GET", `/Users/${created.body.id}`);
      expect(JSON.stringify(read.body)).to.not.match(/\$where|\$ne|\$set/);
    });

    it("answers 400 invalidValue when userName is missing and stores nothing", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], displayName: "No Name" });
      expectScimError(result, 400, "invalidValue");
      expect(result.body.detail).to.include("userName");
      await expectNoUsers(tenant);
    });

    it("answers 400 to an empty body [Okta treats it as an error]", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("POST", "/Users", ""), 400, "invalidValue");
      expectScimError(await tenant.scim("POST", "/Users", "[]"), 400, "invalidSyntax");
      await expectNoUsers(tenant);
    });

    it("answers 413 to a body over 1 MiB and stores nothing", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("POST", "/Users", userBody("huge.user", { displayName: "x".repeat(1024 * 1024 + 1) }));
      expectScimError(result, 413);
      await expectNoUsers(tenant);
    });

    it("answers 400 to a group with a wrong type [displayName: {}]", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: { text: "x" } }), 400, "invalidValue");
      expect((await list(tenant, "/Groups")).totalResults).to.equal(0);
    });
  });

  describe("GET /Users", () => {
    it("answers 400 invalidValue to a query parameter given twice [filter]", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("GET", '/Users?filter=userName%20eq%20"a"&filter=userName%20eq%20"b"'), 400, "invalidValue");
      expectScimError(await tenant.scim("GET", "/Users?sortBy=userName&sortBy=id"), 400, "invalidValue");
    });
  });

  describe("authentication", () => {
    for (const [variant, headers] of [
      ["no token", {}],
      ["wrong token", { Authorization: "Bearer not-a-real-token" }],
      ["wrong scheme", { Authorization: "Basic dXNlcjpwYXNz" }],
    ] as const) {
      it(`answers 401 with WWW-Authenticate: Bearer [${variant}]`, async () => {
        const result = await request(`${server.url}/scim/v2/Users`, "GET", { headers: { ...headers } });
        expectScimError(result, 401);
        expect(result.headers.get("www-authenticate")).to.match(/^Bearer\b/);
      });
    }

    it("answers 401 before reading the body of a write", async () => {
      const result = await request(`${server.url}/scim/v2/Users`, "POST", { body: "{broken" });
      expectScimError(result, 401);
    });
  });

  describe("unknown endpoints", () => {
    it("answers a SCIM 404 for an unknown SCIM path", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("GET", "/Widgets"), 404);
    });

    it("answers 404 for an unknown user id", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/Users/00000000-0000-0000-0000-000000000000");
      expectScimError(result, 404);
    });
  });

  describe("database failures", () => {
    /** Makes one users-collection read reject like a lost connection, for the duration of `work` (the store reads through the driver). */
    async function withBrokenQuery(method: "findOne" | "find", work: () => Promise<void>): Promise<void> {
      const collection = UserModel.collection as unknown as Record<string, unknown>;
      const failure = new mongoose.mongo.MongoNetworkError("connection 7 to 10.0.0.9:27017 closed");
      const original = collection[method];
      collection[method] = method === "findOne" ? () => Promise.reject(failure) : () => ({ toArray: () => Promise.reject(failure) });
      try {
        await work();
      } finally {
        collection[method] = original;
      }
    }

    it("answers 503 with Retry-After, not 404, when the database connection fails during a read [GET /Users/:id]", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "db.user");
      await withBrokenQuery("findOne", async () => {
        const result = await tenant.scim("GET", `/Users/${user.id}`);
        expectScimError(result, 503);
        expect(result.headers.get("retry-after")).to.equal("5");
        expect(JSON.stringify(result.body)).not.to.match(/10\.0\.0\.9|connection 7|MongoNetworkError/);
      });
      expect((await tenant.scim("GET", `/Users/${user.id}`)).status).to.equal(200);
    });

    it("answers 503, not 404, when the database connection fails during a PATCH", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "db.user");
      await withBrokenQuery("findOne", async () => {
        const result = await tenant.scim("PATCH", `/Users/${user.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "x" }] });
        expectScimError(result, 503);
      });
    });

    it("answers 503 when the database connection fails during a list", async () => {
      const tenant = await freshTenant(server);
      await withBrokenQuery("find", async () => {
        const result = await tenant.scim("GET", "/Users");
        expectScimError(result, 503);
        expectNoStackTrace(result);
      });
    });
  });
});
