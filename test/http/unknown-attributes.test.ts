import { expect } from "chai";
import { userBody, type TestServer, type TestTenant } from "../support/test-server";
import { auditOf, givePolicy } from "../support/admin";
import { createUser, expectScimError, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_USER, ENTERPRISE } from "../support/urns";

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

/** One request shape per depth and kind of write: what it sends, the unknown path it names, and a known change that comes with it. */
interface Shape {
  name: string;
  unknownPath: string;
  send(tenant: TestTenant, userId: string): ReturnType<TestTenant["scim"]>;
  /** the known part of the request, applied under `ignore` */
  applied(user: any): boolean;
}

const SHAPES: Shape[] = [
  {
    name: "PUT top-level name",
    unknownPath: "favouriteColour",
    send: (tenant, id) => tenant.scim("PUT", `/Users/${id}`, { ...userBody("unknown.shape"), title: "Put", favouriteColour: "blue" }),
    applied: (user) => user.title === "Put",
  },
  {
    name: "PUT sub-attribute of a multi-valued attribute",
    unknownPath: "addresses.street",
    send: (tenant, id) => tenant.scim("PUT", `/Users/${id}`, { ...userBody("unknown.shape"), title: "Addr", addresses: [{ street: "1 Main St", locality: "Town" }] }),
    applied: (user) => user.title === "Addr" && user.addresses?.[0]?.locality === "Town" && !("street" in user.addresses[0]),
  },
  {
    name: "PUT extension attribute",
    unknownPath: `${ENTERPRISE}:departmnt`,
    send: (tenant, id) => tenant.scim("PUT", `/Users/${id}`, { ...userBody("unknown.shape"), [ENTERPRISE]: { departmnt: "x", costCenter: "C1" } }),
    applied: (user) => user[ENTERPRISE]?.costCenter === "C1",
  },
  {
    name: "PATCH path",
    unknownPath: "noSuchAttribute",
    send: (tenant, id) => tenant.scim("PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "noSuchAttribute", value: "x" }, { op: "replace", path: "title", value: "Patched" })),
    applied: (user) => user.title === "Patched",
  },
  {
    name: "PATCH path-less nested value",
    unknownPath: "name.nickname",
    send: (tenant, id) => tenant.scim("PATCH", `/Users/${id}`, patchOp({ op: "replace", value: { name: { nickname: "x", givenName: "Nick" } } })),
    applied: (user) => user.name?.givenName === "Nick",
  },
  {
    name: "PATCH path value with an unknown sub-attribute",
    unknownPath: "addresses.street",
    send: (tenant, id) => tenant.scim("PATCH", `/Users/${id}`, patchOp({ op: "add", path: "addresses", value: [{ street: "1 Main St", locality: "Ville" }] })),
    applied: (user) => user.addresses?.[0]?.locality === "Ville",
  },
];

describe("unknown attribute names under the tenant policy unknownAttributes (README decisions)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("defaults to ignore", async () => {
    const tenant = await freshTenant(server);
    const policy = await tenant.admin("GET", "/policy");
    expect(policy.body.unknownAttributes).to.equal("ignore");
    const refused = await tenant.admin("PUT", "/policy", { unknownAttributes: "drop" });
    expect(refused.status).to.equal(400);
  });

  for (const shape of SHAPES) {
    it(`ignore applies the rest and lists the name in the audit entry; reject refuses naming it and changes nothing [${shape.name}]`, async () => {
      const ignoring = await freshTenant(server);
      const ignoringUser = await createUser(ignoring, "unknown.shape");
      const accepted = await shape.send(ignoring, ignoringUser.id);
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
      expect(shape.applied(accepted.body), JSON.stringify(accepted.body)).to.equal(true);
      expect(JSON.stringify(accepted.body)).to.not.include("blue");
      const [entry] = await auditOf(ignoring, "action=user.update");
      expect(entry.ignoredAttributes).to.deep.equal([shape.unknownPath]);
      expect(entry.requestId).to.equal(accepted.headers.get("x-request-id"));

      const rejecting = await freshTenant(server);
      await givePolicy(rejecting, { unknownAttributes: "reject" });
      const rejectingUser = await createUser(rejecting, "unknown.shape");
      const refused = await shape.send(rejecting, rejectingUser.id);
      expectScimError(refused, 400, "invalidSyntax");
      expect((refused.body as { detail: string }).detail).to.include(`'${shape.unknownPath}'`);
      const after = await rejecting.scim("GET", `/Users/${rejectingUser.id}`);
      expect(after.body.meta.version).to.equal(rejectingUser.meta.version);
      expect(await auditOf(rejecting, "action=user.update")).to.deep.equal([]);
    });
  }

  it("ignores on POST and records the names in user.create with the request id; Bulk follows the same policy", async () => {
    const tenant = await freshTenant(server);
    const created = await tenant.scim("POST", "/Users", { schemas: [CORE_USER], userName: "created.unknown", favouriteColour: "blue", name: { givenName: "G", nickname: "n" } }, { "X-Request-Id": "req-unknown-1" });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.name).to.deep.equal({ givenName: "G" });
    const [entry] = await auditOf(tenant, "action=user.create");
    expect(entry.requestId).to.equal("req-unknown-1");
    expect(entry.ignoredAttributes).to.have.members(["favouriteColour", "name.nickname"]);

    const bulk = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [{ method: "POST", path: "/Users", bulkId: "b1", data: { ...userBody("bulk.unknown"), nosuch: "x" } }],
    });
    expect(bulk.status).to.equal(200);
    expect(bulk.body.Operations[0].status).to.equal("201");
    const entries = await auditOf(tenant, "action=user.create");
    expect(entries.find((candidate: any) => candidate.target !== created.body.id).ignoredAttributes).to.deep.equal(["Operations[0]: nosuch"]);

    await givePolicy(tenant, { unknownAttributes: "reject" });
    const refused = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [{ method: "POST", path: "/Users", bulkId: "b2", data: { ...userBody("bulk.refused"), nosuch: "x" } }],
    });
    expect(refused.body.Operations[0].status).to.equal("400");
  });

  it("records nothing extra for a request without unknown names", async () => {
    const tenant = await freshTenant(server);
    await createUser(tenant, "known.only");
    const [entry] = await auditOf(tenant, "action=user.create");
    expect(entry).to.not.have.property("ignoredAttributes");
  });
});
