import { expect } from "chai";
import { userBody, type TestServer } from "../support/test-server";
import { createUser, expectScimError, filterQuery, list, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { CORE_GROUP, BULK_REQUEST } from "../support/urns";

const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

describe("POST /Bulk (RFC 7644 §3.7)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("creates a user and a group whose member references it by bulkId", async () => {
    const tenant = await freshTenant(server);
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "u1", data: userBody("bulk.user") },
        { method: "POST", path: "/Groups", bulkId: "g1", data: { schemas: [CORE_GROUP], displayName: "Bulk Group", members: [{ value: "bulkId:u1" }] } },
      ],
    });
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    expect(result.body.schemas).to.deep.equal([BULK_RESPONSE]);
    const [userOp, groupOp] = result.body.Operations;
    expect(userOp).to.include({ method: "POST", bulkId: "u1", status: "201" });
    expect(groupOp).to.include({ method: "POST", bulkId: "g1", status: "201" });
    const userId = userOp.location.split("/").pop();
    const groupId = groupOp.location.split("/").pop();
    expect(await memberIds(tenant, groupId)).to.deep.equal([userId]);
    expect((await tenant.scim("GET", `/Users/${userId}`)).body.userName).to.equal("bulk.user");
  });

  it("resolves a bulkId reference that appears before its creation", async () => {
    const tenant = await freshTenant(server);
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "POST", path: "/Groups", bulkId: "g1", data: { schemas: [CORE_GROUP], displayName: "Early Group", members: [{ value: "bulkId:u1" }] } },
        { method: "POST", path: "/Users", bulkId: "u1", data: userBody("late.user") },
      ],
    });
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    // the POST a reference names is applied first (RFC 7644 §3.7.2 forward reference)
    const statusOf = (bulkId: string) => result.body.Operations.find((operation: { bulkId: string }) => operation.bulkId === bulkId)?.status;
    expect([statusOf("g1"), statusOf("u1")], JSON.stringify(result.body)).to.deep.equal(["201", "201"]);
    const groups = await list(tenant, `/Groups${filterQuery('displayName eq "Early Group"')}`);
    const users = await list(tenant, `/Users${filterQuery('userName eq "late.user"')}`);
    expect(groups.Resources[0].members.map((member: { value: string }) => member.value)).to.deep.equal([users.Resources[0].id]);
  });

  it("applies PATCH and DELETE operations, normalizing what IdPs send", async () => {
    const tenant = await freshTenant(server);
    const [keep, gone] = await Promise.all([createUser(tenant, "keep"), createUser(tenant, "gone")]);
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "PATCH", path: `/Users/${keep.id}`, data: patchOp({ op: "Replace", path: "active", value: "False" }) },
        { method: "DELETE", path: `/Users/${gone.id}` },
      ],
    });
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    expect(result.body.Operations.map((operation: { status: string }) => operation.status)).to.deep.equal(["200", "204"]);
    expect((await tenant.scim("GET", `/Users/${keep.id}`)).body.active).to.equal(false);
    expect((await tenant.scim("GET", `/Users/${gone.id}`)).status).to.equal(404);
  });

  it("reports each failing operation with its SCIM error and goes on [no failOnErrors]", async () => {
    const tenant = await freshTenant(server);
    await createUser(tenant, "taken");
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "dup", data: userBody("TAKEN") },
        { method: "POST", path: "/Users", bulkId: "ok", data: userBody("fresh") },
      ],
    });
    expect(result.status).to.equal(200);
    const [duplicate, fresh] = result.body.Operations;
    expect(duplicate.status).to.equal("409");
    expect(duplicate.response).to.include({ status: "409", scimType: "uniqueness" });
    expect(fresh.status).to.equal("201");
    expect((await list(tenant, "/Users")).totalResults).to.equal(2);
  });

  it("stops after failOnErrors errors and applies nothing after them", async () => {
    const tenant = await freshTenant(server);
    await createUser(tenant, "taken");
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      failOnErrors: 1,
      Operations: [
        { method: "POST", path: "/Users", bulkId: "a", data: userBody("first.ok") },
        { method: "POST", path: "/Users", bulkId: "b", data: userBody("TAKEN") },
        { method: "POST", path: "/Users", bulkId: "c", data: userBody("never.created") },
      ],
    });
    expect(result.status).to.equal(200);
    expect(result.body.Operations.map((operation: { status: string }) => operation.status)).to.deep.equal(["201", "409"]);
    const names = (await list(tenant, "/Users")).Resources.map((user: { userName: string }) => user.userName).sort();
    expect(names).to.deep.equal(["first.ok", "taken"]);
  });

  it("refuses only the operation whose body names an unknown attribute; the others are applied [policy unknownAttributes: reject]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "good1", data: userBody("bulk.good1") },
        { method: "POST", path: "/Users", bulkId: "bad", data: { ...userBody("bulk.bad"), nosuch: "x" } },
        { method: "POST", path: "/Users", bulkId: "good2", data: userBody("bulk.good2") },
      ],
    });
    expect(result.status, JSON.stringify(result.body)).to.equal(200);
    const byBulkId = new Map(result.body.Operations.map((op: any) => [op.bulkId, op]));
    expect((byBulkId.get("bad") as any).status).to.equal("400");
    expect((byBulkId.get("bad") as any).response.scimType).to.equal("invalidSyntax");
    expect([(byBulkId.get("good1") as any).status, (byBulkId.get("good2") as any).status]).to.deep.equal(["201", "201"]);
    const names = (await list(tenant, "/Users")).Resources.map((user: any) => user.userName).sort();
    expect(names).to.deep.equal(["bulk.good1", "bulk.good2"]);
  });

  it("counts a refused operation towards failOnErrors [failOnErrors 1]", async () => {
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { unknownAttributes: "reject" });
    const result = await tenant.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      failOnErrors: 1,
      Operations: [
        { method: "POST", path: "/Users", bulkId: "bad", data: { ...userBody("bulk.bad"), nosuch: "x" } },
        { method: "POST", path: "/Users", bulkId: "after", data: userBody("bulk.after") },
      ],
    });
    expect(result.status).to.equal(200);
    expect(result.body.Operations.map((op: any) => [op.bulkId, op.status])).to.deep.equal([["bad", "400"]]);
    expect((await list(tenant, "/Users")).Resources).to.deep.equal([]);
  });

  it("answers 400 invalidSyntax to a body without Operations", async () => {
    const tenant = await freshTenant(server);
    expectScimError(await tenant.scim("POST", "/Bulk", { schemas: [BULK_REQUEST] }), 400, "invalidSyntax");
  });

  it("answers 413 to more operations than maxOperations", async () => {
    const tenant = await freshTenant(server);
    const operations = Array.from({ length: 1001 }, (_unused, index) => ({ method: "DELETE", path: `/Users/none-${index}` }));
    expectScimError(await tenant.scim("POST", "/Bulk", { schemas: [BULK_REQUEST], Operations: operations }), 413);
  });

  it("keeps tenants apart inside a bulk request", async () => {
    const [tenantA, tenantB] = await Promise.all([freshTenant(server), freshTenant(server)]);
    const userA = await createUser(tenantA, "alice.a");
    const result = await tenantB.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "DELETE", path: `/Users/${userA.id}` },
        { method: "POST", path: "/Groups", bulkId: "g", data: { schemas: [CORE_GROUP], displayName: "Steal", members: [{ value: userA.id }] } },
      ],
    });
    expect(result.status).to.equal(200);
    expect(result.body.Operations.map((operation: { status: string }) => operation.status)).to.deep.equal(["404", "400"]);
    expect((await tenantA.scim("GET", `/Users/${userA.id}`)).status).to.equal(200);
  });
});
