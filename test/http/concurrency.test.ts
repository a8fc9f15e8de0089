import { expect } from "chai";
import { type TestServer } from "../support/test-server";
import { createGroup, createUser, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { insertUsersDirectly } from "../support/store";

// FerretDB 1.24 does not apply a filtered update atomically (10 concurrent updateOne({_id, version}) all
// matched); src/store/document-lock.ts serializes conditional writes per document, so these hold there too.

describe("concurrent writes (SPEC §3 Group membership at scale, RFC 7644 §3.14)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("keeps every member of 50 parallel member-add PATCHes to one group", async function () {
    this.timeout(60_000);
    const tenant = await freshTenant(server);
    // the users are stored directly: this test is about the PATCHes, and 50 creates only add time
    const userIds = await insertUsersDirectly(tenant.id, 50, "member");
    const group = await createGroup(tenant, "Crowded");
    const results = await Promise.all(
      userIds.map((userId) => tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: userId }] }))),
    );
    expect(results.map((result) => result.status)).to.deep.equal(userIds.map(() => 204));
    expect(await memberIds(tenant, group.id)).to.deep.equal([...userIds].sort());
    expect((await tenant.scim("GET", `/Groups/${group.id}`)).body.meta.version).to.equal('W/"51"');
  });

  it("lets exactly one of 10 parallel PATCHes with the same If-Match through [user]", async function () {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "contended");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_unused, index) =>
        tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: `Writer ${index}` }), { "If-Match": user.meta.version }),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 200), statuses.join()).to.have.length(1);
    expect(statuses.filter((status) => status === 412), statuses.join()).to.have.length(9);
    const winner = results.find((result) => result.status === 200)!;
    const read = await tenant.scim("GET", `/Users/${user.id}`);
    expect(read.body.displayName).to.equal(winner.body.displayName);
    expect(read.body.meta.version).to.equal('W/"2"');
  });

  it("lets exactly one of 10 parallel PATCHes with the same If-Match through [group members]", async function () {
    const tenant = await freshTenant(server);
    const users = await Promise.all(Array.from({ length: 10 }, (_unused, index) => createUser(tenant, `writer-${index}`)));
    const group = await createGroup(tenant, "Contended");
    const results = await Promise.all(
      users.map((user) => tenant.scim("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }), { "If-Match": group.meta.version })),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 204), statuses.join()).to.have.length(1);
    expect(statuses.filter((status) => status === 412), statuses.join()).to.have.length(9);
    expect(await memberIds(tenant, group.id)).to.have.length(1);
  });

  it("applies 10 parallel PATCHes without If-Match to one user, each on the latest version", async function () {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "busy", { emails: [] });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_unused, index) => tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "add", path: "emails", value: [{ value: `e${index}@x.example`, type: "other" }] }))),
    );
    // a write that lost a race is retried a few times; every answer is 200 or, past the retries, a 409
    const statuses = results.map((result) => result.status);
    expect(statuses.every((status) => status === 200 || status === 409), statuses.join()).to.equal(true);
    const read = await tenant.scim("GET", `/Users/${user.id}`);
    expect(read.body.emails ?? []).to.have.length(statuses.filter((status) => status === 200).length);
  });
});
