import { expect } from "chai";
import { userBody, type TestServer } from "../support/test-server";
import { createGroup, createUser, expectScimError, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";

describe("versioning (RFC 7644 §3.14)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("ETag", () => {
    it("equals meta.version on POST, GET, PUT and PATCH of a user", async () => {
      const tenant = await freshTenant(server);
      const created = await tenant.scim("POST", "/Users", userBody("etag.user"));
      expect(created.headers.get("etag")).to.equal(created.body.meta.version).and.equal('W/"1"');
      const read = await tenant.scim("GET", `/Users/${created.body.id}`);
      expect(read.headers.get("etag")).to.equal(read.body.meta.version).and.equal('W/"1"');
      const replaced = await tenant.scim("PUT", `/Users/${created.body.id}`, userBody("etag.user", { displayName: "Two" }));
      expect(replaced.headers.get("etag")).to.equal(replaced.body.meta.version).and.equal('W/"2"');
      const patched = await tenant.scim("PATCH", `/Users/${created.body.id}`, patchOp({ op: "replace", path: "displayName", value: "Three" }));
      expect(patched.headers.get("etag")).to.equal(patched.body.meta.version).and.equal('W/"3"');
    });

    it("equals meta.version on POST, GET, PUT and PATCH of a group", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "member");
      const created = await tenant.scim("POST", "/Groups", { displayName: "ETag Group", members: [] });
      expect(created.headers.get("etag")).to.equal(created.body.meta.version);
      const patched = await tenant.scim("PATCH", `/Groups/${created.body.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }));
      const read = await tenant.scim("GET", `/Groups/${created.body.id}`);
      expect(read.headers.get("etag")).to.equal(read.body.meta.version);
      expect(patched.headers.get("etag")).to.equal(read.body.meta.version);
      expect(read.body.meta.version).not.to.equal(created.body.meta.version);
      const replaced = await tenant.scim("PUT", `/Groups/${created.body.id}`, { displayName: "ETag Group 2" });
      expect(replaced.headers.get("etag")).to.equal(replaced.body.meta.version);
    });
  });

  describe("If-None-Match", () => {
    it("answers 304 without a body when the version is unchanged", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "cached.user");
      const read = await tenant.scim("GET", `/Users/${created.id}`, undefined, { "If-None-Match": created.meta.version });
      expect(read.status).to.equal(304);
      expect(read.body).to.equal(undefined);
      expect(read.headers.get("etag")).to.equal(created.meta.version);
    });

    it("answers 304 for the strong form of the tag and for a list of tags", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "cached.user");
      expect((await tenant.scim("GET", `/Users/${created.id}`, undefined, { "If-None-Match": '"1"' })).status).to.equal(304);
      expect((await tenant.scim("GET", `/Users/${created.id}`, undefined, { "If-None-Match": 'W/"7", W/"1"' })).status).to.equal(304);
    });

    it("answers 200 with the resource once it changed", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "cached.user");
      await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "Changed" }));
      const read = await tenant.scim("GET", `/Users/${created.id}`, undefined, { "If-None-Match": created.meta.version });
      expect(read.status).to.equal(200);
      expect(read.body.displayName).to.equal("Changed");
    });

    it("answers 304 for a group", async () => {
      const tenant = await freshTenant(server);
      const group = await createGroup(tenant, "Cached");
      expect((await tenant.scim("GET", `/Groups/${group.id}`, undefined, { "If-None-Match": group.meta.version })).status).to.equal(304);
    });
  });

  describe("If-Match", () => {
    it("applies a PATCH with the current version", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "guarded.user");
      const patched = await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "Ok" }), { "If-Match": created.meta.version });
      expect(patched.status).to.equal(200);
      expect(patched.body.displayName).to.equal("Ok");
    });

    it("answers 412 to a stale PATCH and changes nothing", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "guarded.user", { displayName: "Original" });
      await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Moved on" }));
      const stale = await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "Lost" }), { "If-Match": created.meta.version });
      expectScimError(stale, 412);
      const read = await tenant.scim("GET", `/Users/${created.id}`);
      expect(read.body.displayName).to.equal("Original");
      expect(read.body.meta.version).to.equal('W/"2"');
    });

    it("answers 412 to a stale PUT and changes nothing", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "guarded.user", { displayName: "Original" });
      await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Moved on" }));
      expectScimError(await tenant.scim("PUT", `/Users/${created.id}`, userBody("guarded.user", { displayName: "Lost" }), { "If-Match": created.meta.version }), 412);
      expect((await tenant.scim("GET", `/Users/${created.id}`)).body.displayName).to.equal("Original");
    });

    it("answers 412 to a stale DELETE and keeps the user", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "guarded.user");
      await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "title", value: "Moved on" }));
      expectScimError(await tenant.scim("DELETE", `/Users/${created.id}`, undefined, { "If-Match": created.meta.version }), 412);
      expect((await tenant.scim("GET", `/Users/${created.id}`)).status).to.equal(200);
    });

    it("answers 412 to a stale group member PATCH and changes nothing", async () => {
      const tenant = await freshTenant(server);
      const [one, two] = await Promise.all([createUser(tenant, "one"), createUser(tenant, "two")]);
      const group = await createGroup(tenant, "Guarded");
      await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: one.id }] }));
      const stale = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: two.id }] }), { "If-Match": group.meta.version });
      expectScimError(stale, 412);
      expect(await memberIds(tenant, group.id)).to.deep.equal([one.id]);
    });

    it("answers 412 to a stale group rename and changes nothing", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "one");
      const group = await createGroup(tenant, "Guarded");
      await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }));
      const stale = await tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "replace", path: "displayName", value: "Lost" }), { "If-Match": group.meta.version });
      expectScimError(stale, 412);
      expect((await tenant.scim("GET", `/Groups/${group.id}`)).body.displayName).to.equal("Guarded");
    });

    it("accepts * as any version", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "guarded.user");
      const patched = await tenant.scim("PATCH", `/Users/${created.id}`, patchOp({ op: "replace", path: "displayName", value: "Any" }), { "If-Match": "*" });
      expect(patched.status).to.equal(200);
    });
  });
});
