import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createUser, expectScimError, list } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";

function forge(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

async function cursorPage(tenant: TestTenant, query: string, cursor: string) {
  return tenant.scim("GET", `/Users?${query}${query ? "&" : ""}cursor=${encodeURIComponent(cursor)}`);
}

describe("GET /Users?cursor= (forged cursors, RFC 9865)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 400 invalidCursor to a cursor whose position value is a MongoDB operator", async () => {
    const tenant = await freshTenant(server);
    await Promise.all(["ann", "bob", "cid"].map((name) => createUser(tenant, name)));
    const forged = [
      forge({ f: "userNameKey", o: 1, v: { $regex: ".*" }, id: "" }),
      forge({ f: "userNameKey", o: 1, v: { $where: "sleep(1000) || true" }, id: "x" }),
      forge({ f: "userNameKey", o: 1, v: { $gt: "" }, id: "x" }),
      forge({ f: "userNameKey", o: 1, v: ["a"], id: "x" }),
      forge({ f: "userNameKey", o: 1, v: "a", id: { $gt: "" } }),
      forge({ f: "userNameKey", o: 1, v: "a", id: "x", $where: "true" }),
      forge({ f: "userNameKey", o: 1, v: "a", id: "x".repeat(5000) }),
      forge({ f: "userNameKey", o: 1, v: 5, id: "x" }),
      forge({ f: "userNameKey", o: 1, v: "2024-01-01T00:00:00.000Z", id: "x", d: true }),
    ];
    for (const cursor of forged) expectScimError(await cursorPage(tenant, "sortBy=userName", cursor), 400, "invalidCursor");
    for (const cursor of [forge({ f: "_id", o: 1, v: null, id: { $ne: null } }), forge({ f: "_id", o: 1, v: null, id: "x", extra: 1 })]) {
      expectScimError(await cursorPage(tenant, "", cursor), 400, "invalidCursor");
    }
    expectScimError(await cursorPage(tenant, "sortBy=meta.created", forge({ f: "created", o: 1, v: { $gt: 0 }, id: "x", d: true })), 400, "invalidCursor");
    expectScimError(await cursorPage(tenant, "sortBy=meta.created", forge({ f: "created", o: 1, v: "not a date", id: "x", d: true })), 400, "invalidCursor");
  });

  it("answers 400 invalidCursor to garbled cursors", async () => {
    const tenant = await freshTenant(server);
    for (const cursor of ["%%%", "bnVsbA", forge(null), forge([1, 2]), forge("text"), forge({}), "A".repeat(5000), "eyJmIjoiX2lkIiwibyI6MSwidiI6bnVsbCwiaWQiOiJ4In0=", "\u0000"]) {
      expectScimError(await cursorPage(tenant, "", cursor), 400, "invalidCursor");
    }
  });

  it("still follows the cursors Roster issues [sortBy userName, meta.created, active]", async () => {
    const tenant = await freshTenant(server);
    await Promise.all(["ann", "bob", "cid", "dan"].map((name) => createUser(tenant, name)));
    for (const sortBy of ["userName", "meta.created", "active", "emails.value", "emails.type"]) {
      const seen: string[] = [];
      let cursor = "";
      for (let guard = 0; guard < 10; guard++) {
        const page = await list(tenant, `/Users?sortBy=${sortBy}&count=1&cursor=${encodeURIComponent(cursor)}`);
        seen.push(...page.Resources.map((user: { userName: string }) => user.userName));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen.sort(), sortBy).to.deep.equal(["ann", "bob", "cid", "dan"]);
    }
  });
});
