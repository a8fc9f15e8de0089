import { expect } from "chai";
import policySchema from "../../schemas/policy.schema.json";
import { DEFAULT_POLICY } from "../../src/domain/types";
import { newTenant, startTestServer, type TestServer } from "../support/test-server";
import { admin, auditOf } from "../support/admin";
import { createUserId } from "../support/scim";

const DEPARTMENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

describe("/admin/v1/tenants/:tenant/policy", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("documents in the schema the defaults the rules use", () => {
    const defaults = Object.fromEntries(Object.entries(policySchema.properties).map(([key, property]) => [key, (property as { default: unknown }).default]));
    expect(defaults).to.deep.equal({ ...DEFAULT_POLICY });
  });

  describe("GET", () => {
    it("returns the full default policy for a new tenant", async () => {
      const tenant = await newTenant(server);
      const policy = await tenant.admin("GET", "/policy");
      expect(policy.status).to.equal(200);
      expect(policy.body).to.deep.equal({ requiredProfileFields: [], reassignReportsTo: "manager-then-owner", groupMembershipsOnDeactivate: "keep", revokeApiKeys: true, seatLimit: null, unknownAttributes: "ignore" });
    });
  });

  describe("PUT", () => {
    it("stores and returns the whole policy", async () => {
      const tenant = await newTenant(server);
      const wanted = { requiredProfileFields: ["name.givenName", "emails", DEPARTMENT], reassignReportsTo: "block", groupMembershipsOnDeactivate: "remove", revokeApiKeys: false, seatLimit: 10, unknownAttributes: "reject" };
      const put = await tenant.admin("PUT", "/policy", wanted);
      expect(put.status).to.equal(200);
      expect(put.body).to.deep.equal(wanted);
      expect((await tenant.admin("GET", "/policy")).body).to.deep.equal(wanted);
    });

    it("replaces the policy: omitted fields go back to their defaults", async () => {
      const tenant = await newTenant(server);
      await tenant.admin("PUT", "/policy", { reassignReportsTo: "owner", revokeApiKeys: false });
      const put = await tenant.admin("PUT", "/policy", { seatLimit: 3 });
      expect(put.body).to.deep.equal({ ...DEFAULT_POLICY, seatLimit: 3 });
      expect((await tenant.admin("GET", "/policy")).body).to.deep.equal({ ...DEFAULT_POLICY, seatLimit: 3 });
    });

    it("accepts seatLimit null and 0", async () => {
      const tenant = await newTenant(server);
      expect((await tenant.admin("PUT", "/policy", { seatLimit: 0 })).body.seatLimit).to.equal(0);
      expect((await tenant.admin("PUT", "/policy", { seatLimit: null })).body.seatLimit).to.equal(null);
    });

    it("records policy.update with before and after of the changed fields only", async () => {
      const tenant = await newTenant(server);
      await tenant.admin("PUT", "/policy", { seatLimit: 5, requiredProfileFields: ["emails"] });
      const [entry] = await auditOf(tenant, "action=policy.update");
      expect(entry).to.include({ action: "policy.update", actor: "admin:root", actorName: "root", target: tenant.id, tenant: tenant.id });
      expect(entry.before).to.deep.equal({ seatLimit: null, requiredProfileFields: [] });
      expect(entry.after).to.deep.equal({ seatLimit: 5, requiredProfileFields: ["emails"] });
    });

    it("records nothing when the policy does not change", async () => {
      const tenant = await newTenant(server);
      await tenant.admin("PUT", "/policy", { seatLimit: 5 });
      await tenant.admin("PUT", "/policy", { seatLimit: 5 });
      expect(await auditOf(tenant, "action=policy.update")).to.have.length(1);
    });

    it("returns 400 listing every schema error and changes nothing", async () => {
      const tenant = await newTenant(server);
      const answer = await tenant.admin("PUT", "/policy", { reassignReportsTo: "nobody", seatLimit: -1, revokeApiKeys: "yes", colour: "red", requiredProfileFields: ["name givenName"] });
      expect(answer.status).to.equal(400);
      const paths = answer.body.errors.map((error: { path: string }) => error.path).sort();
      expect(paths).to.deep.equal(["/colour", "/reassignReportsTo", "/requiredProfileFields/0", "/revokeApiKeys", "/seatLimit"]);
      expect((await tenant.admin("GET", "/policy")).body).to.deep.equal({ ...DEFAULT_POLICY });
    });

    it("returns 400 for a seatLimit that is not an integer [string, fraction]", async () => {
      const tenant = await newTenant(server);
      for (const seatLimit of ["5", 2.5]) {
        const answer = await tenant.admin("PUT", "/policy", { seatLimit });
        expect(answer.status, String(seatLimit)).to.equal(400);
        expect(answer.body.errors.map((error: { path: string }) => error.path)).to.include("/seatLimit");
      }
    });

    it("returns 400 for requiredProfileFields that are not SCIM attribute paths [syntax]", async () => {
      const tenant = await newTenant(server);
      for (const path of ["", "name.", ".name", "emails[type eq \"work\"]", "name.givenName.x", "1name"]) {
        const answer = await tenant.admin("PUT", "/policy", { requiredProfileFields: [path] });
        expect(answer.status, path).to.equal(400);
        expect(answer.body.errors[0].path).to.equal("/requiredProfileFields/0");
      }
    });

    it("returns 400 for requiredProfileFields naming no User attribute [unknown attribute, unknown schema, password, groups, enterprise typo]", async () => {
      const tenant = await newTenant(server);
      const answer = await tenant.admin("PUT", "/policy", {
        requiredProfileFields: ["name.givenName", "emial", "urn:example:unknown:2.0:User:department", "password", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:departmnt", "groups"],
      });
      expect(answer.status).to.equal(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).to.deep.equal([
        "/requiredProfileFields/1",
        "/requiredProfileFields/2",
        "/requiredProfileFields/3",
        "/requiredProfileFields/4",
        "/requiredProfileFields/5",
      ]);
    });

    it("accepts attribute paths in any case and with the core schema URN", async () => {
      const tenant = await newTenant(server);
      const fields = ["NAME.GIVENNAME", "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName", "emails.value", "phoneNumbers", `${DEPARTMENT}`, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"];
      const answer = await tenant.admin("PUT", "/policy", { requiredProfileFields: fields });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(answer.body.requiredProfileFields).to.deep.equal(fields);
    });

    it("takes effect at once: a deactivation lacking a required path is refused, naming it", async () => {
      const tenant = await newTenant(server);
      const id = await createUserId(tenant, "no.department");
      await tenant.admin("PUT", "/policy", { requiredProfileFields: [DEPARTMENT] });
      const refused = await tenant.scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] });
      expect(refused.status).to.equal(400);
      expect(refused.body.detail).to.include(DEPARTMENT);
    });
  });
});
