import { expect } from "chai";
import { request, type TestServer } from "../support/test-server";
import { expectScimError } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_GROUP, CORE_USER, ENTERPRISE, ROSTER_GROUP, ROSTER_USER } from "../support/urns";

describe("SCIM discovery", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("GET /ServiceProviderConfig", () => {
    it("advertises what works: patch, bulk limits, filter maxResults, sort, etag, cursor and index pagination", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/ServiceProviderConfig");
      expect(result.status).to.equal(200);
      expect(result.headers.get("content-type")).to.match(/^application\/scim\+json/);
      const config = result.body;
      expect(config.schemas).to.deep.equal(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
      expect(config.patch).to.deep.equal({ supported: true });
      expect(config.bulk).to.deep.equal({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
      expect(config.filter).to.deep.equal({ supported: true, maxResults: 1000 });
      expect(config.sort).to.deep.equal({ supported: true });
      expect(config.etag).to.deep.equal({ supported: true });
      expect(config.changePassword).to.deep.equal({ supported: false });
      expect(config.pagination).to.include({ cursor: true, index: true });
    });

    it("advertises the static bearer token and OAuth 2.0 client credentials, nothing else (no HTTP Basic on SCIM)", async () => {
      const tenant = await freshTenant(server);
      const { body } = await tenant.scim("GET", "/ServiceProviderConfig");
      expect(body.authenticationSchemes.map((scheme: { type: string; specUri: string }) => `${scheme.type} ${scheme.specUri}`)).to.deep.equal([
        "oauthbearertoken https://datatracker.ietf.org/doc/html/rfc6750",
        "oauth2 https://datatracker.ietf.org/doc/html/rfc6749",
      ]);
      for (const scheme of body.authenticationSchemes) expect(scheme.name).to.be.a("string");
    });

    it("answers 401 without a token", async () => {
      const result = await request(`${server.url}/scim/v2/ServiceProviderConfig`, "GET");
      expectScimError(result, 401);
    });
  });

  describe("GET /ResourceTypes", () => {
    it("lists User with the Enterprise and Roster extensions and Group with the Roster extension", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/ResourceTypes");
      expect(result.status).to.equal(200);
      expect(result.headers.get("content-type")).to.match(/^application\/scim\+json/);
      const types = (result.body.Resources ?? result.body) as any[];
      const user = types.find((type) => type.name === "User");
      const group = types.find((type) => type.name === "Group");
      expect(types).to.have.length(2);
      expect(user.endpoint).to.equal("/Users");
      expect(user.schema).to.equal(CORE_USER);
      expect(user.schemaExtensions.map((extension: { schema: string }) => extension.schema).sort()).to.deep.equal([ENTERPRISE, ROSTER_USER].sort());
      expect(user.schemaExtensions.every((extension: { required: boolean }) => extension.required === false)).to.equal(true);
      expect(group.endpoint).to.equal("/Groups");
      expect(group.schema).to.equal(CORE_GROUP);
      expect(group.schemaExtensions.map((extension: { schema: string }) => extension.schema)).to.deep.equal([ROSTER_GROUP]);
    });

    it("reads one resource type by name", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/ResourceTypes/Group");
      expect(result.status).to.equal(200);
      expect(result.body.schema).to.equal(CORE_GROUP);
    });
  });

  describe("GET /Schemas", () => {
    it("lists the core, Enterprise and Roster schemas", async () => {
      const tenant = await freshTenant(server);
      const result = await tenant.scim("GET", "/Schemas");
      expect(result.status).to.equal(200);
      const ids = ((result.body.Resources ?? result.body) as Array<{ id: string }>).map((schema) => schema.id);
      expect(ids).to.include.members([CORE_USER, CORE_GROUP, ENTERPRISE, ROSTER_USER, ROSTER_GROUP]);
    });

    it("describes the Roster extensions' attributes", async () => {
      const tenant = await freshTenant(server);
      const user = await tenant.scim("GET", `/Schemas/${ROSTER_USER}`);
      expect(user.status).to.equal(200);
      expect(user.body.attributes.map((attribute: { name: string; type: string }) => [attribute.name, attribute.type])).to.deep.equal([["leaveDate", "dateTime"]]);
      const group = await tenant.scim("GET", `/Schemas/${ROSTER_GROUP}`);
      expect(group.status).to.equal(200);
      const manager = group.body.attributes.find((attribute: { name: string }) => attribute.name === "manager");
      expect(manager.type).to.equal("complex");
      expect(manager.subAttributes.map((attribute: { name: string }) => attribute.name)).to.include.members(["value", "display"]);
    });
  });
});
