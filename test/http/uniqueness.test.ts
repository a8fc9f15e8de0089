import { expect } from "chai";
import { userBody, type TestServer } from "../support/test-server";
import { createGroup, createUser, expectScimError, list, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP } from "../support/urns";

describe("uniqueness (SPEC §3)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("POST /Users", () => {
    it("returns 409 uniqueness when userName is taken [case differs] and stores nothing", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "Dup.User");
      const result = await tenant.scim("POST", "/Users", userBody("DUP.USER"));
      expectScimError(result, 409, "uniqueness");
      expect(result.body.detail).to.match(/userName/);
      expect((await list(tenant, "/Users")).totalResults).to.equal(1);
    });

    it("lets the userName be provisioned again after DELETE, as a new resource", async () => {
      const tenant = await freshTenant(server);
      const first = await createUser(tenant, "again.user");
      expect((await tenant.scim("DELETE", `/Users/${first.id}`)).status).to.equal(204);
      const second = await createUser(tenant, "Again.User");
      expect(second.id).not.to.equal(first.id);
      const listed = await list(tenant, "/Users");
      expect(listed.Resources.map((user: { id: string }) => user.id)).to.deep.equal([second.id]);
    });

    it("allows the same userName in another tenant", async () => {
      const [tenantA, tenantB] = await Promise.all([freshTenant(server), freshTenant(server)]);
      await createUser(tenantA, "shared.name");
      await createUser(tenantB, "shared.name");
    });

    it("lets only one of two concurrent creates of one userName succeed", async () => {
      const tenant = await freshTenant(server);
      const results = await Promise.all([tenant.scim("POST", "/Users", userBody("race.user")), tenant.scim("POST", "/Users", userBody("RACE.user"))]);
      expect(results.map((result) => result.status).sort()).to.deep.equal([201, 409]);
    });
  });

  describe("PUT and PATCH /Users/:id", () => {
    it("returns 409 uniqueness when a rename takes another user's userName [PATCH]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "taken");
      const user = await createUser(tenant, "free");
      expectScimError(await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "userName", value: "TAKEN" })), 409, "uniqueness");
      expect((await tenant.scim("GET", `/Users/${user.id}`)).body.userName).to.equal("free");
    });

    it("returns 409 uniqueness when a rename takes another user's userName [PUT]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "taken");
      const user = await createUser(tenant, "free");
      expectScimError(await tenant.scim("PUT", `/Users/${user.id}`, userBody("Taken")), 409, "uniqueness");
    });

    it("lets a user change the case of its own userName", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "case.user");
      const patched = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "userName", value: "Case.User" }));
      expect(patched.status).to.equal(200);
      expect(patched.body.userName).to.equal("Case.User");
    });
  });

  describe("POST /Groups", () => {
    it("returns 409 uniqueness when displayName is taken [case differs] and stores nothing", async () => {
      const tenant = await freshTenant(server);
      await createGroup(tenant, "Engineering");
      const result = await tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName: "ENGINEERING", members: [] });
      expectScimError(result, 409, "uniqueness");
      expect(result.body.detail).to.match(/displayName/);
      expect((await list(tenant, "/Groups")).totalResults).to.equal(1);
    });

    it("returns 409 uniqueness when a PUT renames onto another group's displayName", async () => {
      const tenant = await freshTenant(server);
      await createGroup(tenant, "Taken");
      const group = await createGroup(tenant, "Free");
      expectScimError(await tenant.scim("PUT", `/Groups/${group.id}`, { schemas: [CORE_GROUP], displayName: "taken" }), 409, "uniqueness");
    });

    it("frees a displayName when the group is deleted", async () => {
      const tenant = await freshTenant(server);
      const group = await createGroup(tenant, "Reused");
      expect((await tenant.scim("DELETE", `/Groups/${group.id}`)).status).to.equal(204);
      await createGroup(tenant, "Reused");
    });
  });
});
