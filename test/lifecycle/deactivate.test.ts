import { expect } from "chai";
import { newTenant, startTestServer, userBody, type TestServer, type TestTenant } from "../support/test-server";
import { addCredential, credentialsOf, giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, deactivatePatch, getUser, listUsers, patchOp, reactivatePatch } from "../support/scim";
import { storedAuditOf, tokenIdOf } from "../support/store";
import { BULK_REQUEST, ENTERPRISE } from "../support/urns";

const DEPARTMENT = `${ENTERPRISE}:department`;

/** SPEC §4 Deactivate: however `active:false` arrives, it is one deactivation. */
describe("Deactivation over SCIM", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  describe("detection (SPEC §4 Deactivate, IDP-TRAFFIC.md)", () => {
    const shapes: Array<{ name: string; send: (tenant: TestTenant, user: any) => Promise<{ status: number; requestId: string | null }> }> = [
      {
        name: "Okta path-less replace",
        send: async (tenant, user) => {
          const res = await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch());
          return { status: res.status, requestId: res.headers.get("x-request-id") };
        },
      },
      {
        name: 'Entra "Replace" with "False"',
        send: async (tenant, user) => {
          const res = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
          return { status: res.status, requestId: res.headers.get("x-request-id") };
        },
      },
      {
        name: "path active with a boolean",
        send: async (tenant, user) => {
          const res = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false }));
          return { status: res.status, requestId: res.headers.get("x-request-id") };
        },
      },
      {
        name: "PUT with active:false",
        send: async (tenant, user) => {
          const res = await tenant.scim("PUT", `/Users/${user.id}`, { ...user, active: false });
          return { status: res.status, requestId: res.headers.get("x-request-id") };
        },
      },
      {
        name: "/Bulk PATCH",
        send: async (tenant, user) => {
          const res = await tenant.scim("POST", "/Bulk", {
            schemas: [BULK_REQUEST],
            Operations: [{ method: "PATCH", path: `/Users/${user.id}`, data: deactivatePatch() }],
          });
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          return { status: Number(res.body.Operations[0].status), requestId: res.headers.get("x-request-id") };
        },
      },
    ];

    for (const shape of shapes) {
      it(`writes one user.deactivate entry with the token as actor and the request id [${shape.name}]`, async () => {
        const tenant = await newTenant(server);
        const user = await createUser(tenant, "leaver");
        const { status, requestId } = await shape.send(tenant, user);
        expect(status).to.equal(200);
        expect((await getUser(tenant, user.id)).body.active).to.equal(false);
        const entries = await storedAuditOf(tenant, { action: "user.deactivate", target: user.id });
        expect(entries).to.have.length(1);
        expect(entries[0].before).to.deep.equal({ active: true });
        expect(entries[0].after).to.deep.equal({ active: false });
        expect(entries[0].actor).to.equal(await tokenIdOf(tenant));
        expect(requestId).to.be.a("string").and.not.equal("");
        expect(entries[0].requestId).to.equal(requestId);
        expect(await storedAuditOf(tenant, { action: "user.update", target: user.id })).to.have.length(0);
      });
    }

    it("keeps a client's X-Request-Id as the audit requestId", async () => {
      const tenant = await newTenant(server);
      const user = await createUser(tenant, "leaver");
      const res = await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch(), { "X-Request-Id": "okta-req.42" });
      expect(res.headers.get("x-request-id")).to.equal("okta-req.42");
      const [entry] = await storedAuditOf(tenant, { action: "user.deactivate", target: user.id });
      expect(entry.requestId).to.equal("okta-req.42");
    });
  });

  describe("incomplete profile (SPEC §4 Deactivate 1, seed 003)", () => {
    const required = ["name.givenName", "emails", DEPARTMENT];

    async function incompleteUser(tenant: TestTenant): Promise<any> {
      await givePolicy(tenant, { requiredProfileFields: required });
      // creating an incomplete profile is allowed
      return createUser(tenant, "incomplete", { name: { familyName: "Only" } });
    }

    it("refuses deactivation with 400 invalidValue naming every missing path as the policy spells it, changing nothing", async () => {
      const tenant = await newTenant(server);
      const user = await incompleteUser(tenant);
      const before = await getUser(tenant, user.id);
      const refused = await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch());
      expect(refused.status).to.equal(400);
      expect(refused.body.scimType).to.equal("invalidValue");
      expect(refused.body.detail).to.include("name.givenName").and.include(DEPARTMENT);
      expect(refused.body.detail).not.to.match(/\bemails\b/);
      const after = await getUser(tenant, user.id);
      expect(after.body.active).to.equal(true);
      expect(after.body.meta.version).to.equal(before.body.meta.version);
      expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
    });

    it("refuses a PUT with active:false the same way [PUT]", async () => {
      const tenant = await newTenant(server);
      const user = await incompleteUser(tenant);
      const refused = await tenant.scim("PUT", `/Users/${user.id}`, { ...user, active: false });
      expect(refused.status).to.equal(400);
      expect(refused.body.scimType).to.equal("invalidValue");
      expect((await getUser(tenant, user.id)).body.active).to.equal(true);
    });

    it("counts values supplied in the same request", async () => {
      const tenant = await newTenant(server);
      const user = await incompleteUser(tenant);
      const partly = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: DEPARTMENT, value: "Sales" }, { op: "replace", path: "active", value: false }));
      expect(partly.status).to.equal(400);
      expect(partly.body.detail).to.include("name.givenName");
      expect(partly.body.detail).not.to.include(DEPARTMENT);
      expect((await getUser(tenant, user.id)).body[ENTERPRISE]?.department).to.equal(undefined);

      const whole = await tenant.scim(
        "PATCH",
        `/Users/${user.id}`,
        patchOp({ op: "add", path: DEPARTMENT, value: "Sales" }, { op: "add", path: "name.givenName", value: "Ann" }, { op: "replace", path: "active", value: false }),
      );
      expect(whole.status, JSON.stringify(whole.body)).to.equal(200);
      expect(whole.body.active).to.equal(false);
      expect(whole.body[ENTERPRISE].department).to.equal("Sales");
      const [entry] = await storedAuditOf(tenant, { action: "user.deactivate", target: user.id });
      expect(entry.after).to.include({ active: false, [DEPARTMENT]: "Sales", "name.givenName": "Ann" });
    });

    it("guards reactivation too, and an update of an incomplete profile is allowed", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { requiredProfileFields: required });
      const user = await createUser(tenant, "returner", { [ENTERPRISE]: { department: "Ops" } });
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      // an update that leaves the profile incomplete is not a transition: allowed
      const emptied = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "remove", path: DEPARTMENT }));
      expect(emptied.status, JSON.stringify(emptied.body)).to.equal(200);

      const refused = await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch());
      expect(refused.status).to.equal(400);
      expect(refused.body.scimType).to.equal("invalidValue");
      expect(refused.body.detail).to.include(DEPARTMENT);
      expect((await getUser(tenant, user.id)).body.active).to.equal(false);
      expect(await storedAuditOf(tenant, { action: "user.reactivate" })).to.have.length(0);

      const back = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { active: true, [DEPARTMENT]: "Ops" } }));
      expect(back.status, JSON.stringify(back.body)).to.equal(200);
      expect(back.body.active).to.equal(true);
      expect(await storedAuditOf(tenant, { action: "user.reactivate", target: user.id })).to.have.length(1);
    });

    it("allows creating an already deactivated incomplete profile, which is not a transition", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { requiredProfileFields: required });
      const created = await tenant.scim("POST", "/Users", userBody("dormant", { active: false, name: { familyName: "F" } }));
      expect(created.status).to.equal(201);
      expect(created.body.active).to.equal(false);
      expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
    });
  });

  describe("owner guard (SPEC §4 Deactivate 2, seeds 002/003)", () => {
    it("refuses to deactivate the owner with 400 invalidValue 'transfer ownership first' [PATCH, PUT]", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      for (const res of [
        await tenant.scim("PATCH", `/Users/${owner.id}`, deactivatePatch()),
        await tenant.scim("PUT", `/Users/${owner.id}`, { ...owner, active: false }),
      ]) {
        expect(res.status).to.equal(400);
        expect(res.body.scimType).to.equal("invalidValue");
        expect(res.body.detail).to.include("transfer ownership first");
      }
      expect((await getUser(tenant, owner.id)).body.active).to.equal(true);
      expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
    });

    it("refuses to remove the owner [DELETE]", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      await giveOwner(tenant, owner.id);
      const res = await tenant.scim("DELETE", `/Users/${owner.id}`);
      expect(res.status).to.equal(400);
      expect(res.body.scimType).to.equal("invalidValue");
      expect(res.body.detail).to.include("transfer ownership first");
      expect((await getUser(tenant, owner.id)).status).to.equal(200);
      expect(await storedAuditOf(tenant, { action: "user.remove" })).to.have.length(0);
    });

    it("deactivates the former owner once ownership is transferred", async () => {
      const tenant = await newTenant(server);
      const owner = await createUser(tenant, "owner");
      const next = await createUser(tenant, "next");
      await giveOwner(tenant, owner.id);
      expect((await tenant.scim("PATCH", `/Users/${owner.id}`, deactivatePatch())).status).to.equal(400);
      await giveOwner(tenant, next.id);
      expect((await tenant.scim("PATCH", `/Users/${owner.id}`, deactivatePatch())).status).to.equal(200);
    });
  });

  describe("what is kept and what is revoked (SPEC §4 Deactivate 4–5)", () => {
    it("keeps group memberships by default, and through reactivation [keep]", async () => {
      const tenant = await newTenant(server);
      const user = await createUser(tenant, "member");
      const group = await createGroup(tenant, "Team", [user.id]);
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      const members = (await tenant.scim("GET", `/Groups/${group.id}`)).body.members.map((m: any) => m.value);
      expect(members).to.deep.equal([user.id]);
      expect((await getUser(tenant, user.id)).body.groups.map((g: any) => g.value)).to.deep.equal([group.id]);
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch())).status).to.equal(200);
      expect((await getUser(tenant, user.id)).body.groups.map((g: any) => g.value)).to.deep.equal([group.id]);
    });

    it("drops group memberships when the policy says remove [remove]", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { groupMembershipsOnDeactivate: "remove" });
      const user = await createUser(tenant, "member");
      const stays = await createUser(tenant, "stays");
      const group = await createGroup(tenant, "Team", [user.id, stays.id]);
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      const members = (await tenant.scim("GET", `/Groups/${group.id}`)).body.members.map((m: any) => m.value);
      expect(members).to.deep.equal([stays.id]);
      expect((await getUser(tenant, user.id)).body.groups ?? []).to.deep.equal([]);
    });

    it("still lists the user with active:false and finds it by filter", async () => {
      const tenant = await newTenant(server);
      const user = await createUser(tenant, "Listed.Leaver");
      await createUser(tenant, "someone.else");
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      const byName = await listUsers(tenant, 'userName eq "listed.leaver"');
      expect(byName.totalResults).to.equal(1);
      expect(byName.Resources[0]).to.include({ id: user.id, active: false });
      const inactive = await listUsers(tenant, "active eq false");
      expect(inactive.Resources.map((u: any) => u.id)).to.deep.equal([user.id]);
      const all = await tenant.scim("GET", "/Users");
      expect(all.body.totalResults).to.equal(2);
    });

    it("revokes sessions and API keys, which stay revoked after reactivation [revokeApiKeys true]", async () => {
      const tenant = await newTenant(server);
      const user = await createUser(tenant, "keyholder");
      const other = await createUser(tenant, "other");
      await addCredential(tenant, user.id, "session");
      await addCredential(tenant, user.id, "apiKey");
      await addCredential(tenant, other.id, "session");
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      const revoked = await credentialsOf(tenant, user.id);
      expect(revoked.map((c) => [c.kind, c.revokedAt instanceof Date])).to.have.deep.members([["session", true], ["apiKey", true]]);
      expect((await credentialsOf(tenant, other.id))[0].revokedAt).to.equal(null);
      const login = await tenant.admin("GET", `/users/${user.id}/access`);
      expect(login.body).to.deep.equal({ allowed: false, reason: "Your account has been deactivated. If you believe this is in error please contact us" });
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch())).status).to.equal(200);
      expect((await credentialsOf(tenant, user.id)).every((c) => c.revokedAt instanceof Date)).to.equal(true);
      expect((await tenant.admin("GET", `/users/${user.id}/access`)).body.allowed).to.equal(true);
    });

    it("keeps API keys when the policy says so [revokeApiKeys false]", async () => {
      const tenant = await newTenant(server);
      await givePolicy(tenant, { revokeApiKeys: false });
      const user = await createUser(tenant, "keyholder");
      await addCredential(tenant, user.id, "session");
      await addCredential(tenant, user.id, "apiKey");
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      const creds = await credentialsOf(tenant, user.id);
      expect(creds.find((c) => c.kind === "session")!.revokedAt).to.be.instanceOf(Date);
      expect(creds.find((c) => c.kind === "apiKey")!.revokedAt).to.equal(null);
    });
  });

  describe("audit (SPEC §5)", () => {
    it("writes one entry per transition and none for a repeated deactivation", async () => {
      const tenant = await newTenant(server);
      const user = await createUser(tenant, "flapper");
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch())).status).to.equal(200);
      // Okta retries: the same PATCH again changes nothing
      const again = await tenant.scim("PATCH", `/Users/${user.id}`, deactivatePatch());
      expect(again.status).to.equal(200);
      expect(again.body.active).to.equal(false);
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch())).status).to.equal(200);
      expect((await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch())).status).to.equal(200);
      expect((await tenant.scim("PUT", `/Users/${user.id}`, { ...user, active: false })).status).to.equal(200);
      const actions = (await storedAuditOf(tenant, { target: user.id })).map((entry) => entry.action).reverse();
      expect(actions).to.deep.equal(["user.create", "user.deactivate", "user.reactivate", "user.deactivate"]);
      const reactivation = (await storedAuditOf(tenant, { action: "user.reactivate" }))[0];
      expect(reactivation.before).to.deep.equal({ active: false });
      expect(reactivation.after).to.deep.equal({ active: true });
    });
  });
});
