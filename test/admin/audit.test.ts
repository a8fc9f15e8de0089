import { expect } from "chai";
import { AuditModel } from "../../src/store/models";
import { newTenant, request, startTestServer, userBody, ADMIN_TOKEN, type TestServer, type TestTenant } from "../support/test-server";
import { createUserId, deactivate } from "../support/scim";

const ISO_WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Writes `count` entries straight into the log, one millisecond apart, oldest first. */
async function seedEntries(tenant: string, count: number, start: Date, action = "user.update"): Promise<Array<{ _id: string; at: Date }>> {
  const docs = Array.from({ length: count }, (_, index) => ({
    _id: `seed-${String(index).padStart(5, "0")}-${tenant}`,
    tenant,
    at: new Date(start.getTime() + index),
    actor: "seed",
    action,
    target: `target-${index % 3}`,
    requestId: `seed-${index}`,
  }));
  await AuditModel.collection.insertMany(docs as never[]);
  return docs;
}

describe("/admin/v1/tenants/:tenant/audit", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it("shows entries newest first as {id, at, tenant, actor, action, target, before, after, requestId}", async () => {
    const tenant = await newTenant(server);
    const created = await tenant.scim("POST", "/Users", userBody("audited.user"), { "X-Request-Id": "create-req-1" });
    const page = await tenant.admin("GET", "/audit");
    expect(page.status).to.equal(200);
    expect(page.body).to.not.have.property("nextCursor");
    const [newest] = page.body.entries;
    expect(newest).to.include({ tenant: tenant.id, action: "user.create", target: created.body.id, requestId: "create-req-1" });
    expect(newest.at).to.match(ISO_WITH_MS);
    expect(newest.actor).to.be.a("string");
    expect(newest.after).to.include({ userName: "audited.user" });
    expect(Object.keys(newest)).to.include.members(["id", "at", "tenant", "actor", "action", "target", "requestId"]);
    expect(Object.keys(newest)).to.not.include.members(["_id", "reason", "cause"]);
    const times = page.body.entries.map((entry: { at: string }) => entry.at);
    expect(times).to.deep.equal([...times].sort().reverse());
  });

  it("shows cause on a reassignment and reason on a refusal", async () => {
    const tenant = await newTenant(server);
    const lead = await createUserId(tenant, "team.lead");
    const boss = await createUserId(tenant, "big.boss");
    await tenant.admin("PUT", "/owner", { userId: boss });
    const report = await createUserId(tenant, "the.report", { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: lead } } });
    await deactivate(tenant, lead);
    const page = await tenant.admin("GET", `/audit?action=reports.reassign&target=${report}`);
    expect(page.body.entries).to.have.length(1);
    expect(page.body.entries[0]).to.include({ cause: lead, target: report });

    // a leave date passing for the owner is refused by the owner guard, with a reason
    await tenant.scim("PATCH", `/Users/${boss}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "urn:ietf:params:scim:schemas:extension:roster:2.0:User:leaveDate", value: "2020-01-01T00:00:00Z" }],
    });
    const refusal = await tenant.admin("GET", `/audit?action=user.deactivate.refused&target=${boss}`);
    expect(refusal.body.entries).to.have.length(1);
    expect(refusal.body.entries[0].reason).to.be.a("string").and.not.equal("");
  });

  it("pages with nextCursor until the last page, which has none", async () => {
    const tenant = await newTenant(server);
    const seeded = await seedEntries(tenant.id, 25, new Date("2030-01-01T00:00:00.000Z"));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await tenant.admin("GET", `/audit?action=user.update&count=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).to.equal(200);
      pages++;
      seen.push(...page.body.entries.map((entry: { id: string }) => entry.id));
      cursor = page.body.nextCursor;
      if (pages < 3) expect(cursor, `page ${pages}`).to.be.a("string");
    } while (cursor);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal(seeded.map((doc) => doc._id).reverse());
  });

  it("gives the last page no nextCursor when it is exactly full", async () => {
    const tenant = await newTenant(server);
    await seedEntries(tenant.id, 10, new Date("2030-01-01T00:00:00.000Z"));
    const first = await tenant.admin("GET", "/audit?action=user.update&count=5");
    const second = await tenant.admin("GET", `/audit?action=user.update&count=5&cursor=${first.body.nextCursor}`);
    expect(second.body.entries).to.have.length(5);
    expect(second.body).to.not.have.property("nextCursor");
  });

  it("keeps pages stable while new entries are appended", async () => {
    const tenant = await newTenant(server);
    const seeded = await seedEntries(tenant.id, 6, new Date("2020-01-01T00:00:00.000Z"));
    const first = await tenant.admin("GET", "/audit?action=user.update&count=3");
    await AuditModel.collection.insertOne({ _id: `late-${tenant.id}`, tenant: tenant.id, at: new Date(), actor: "seed", action: "user.update", target: "x", requestId: "r" } as never);
    const second = await tenant.admin("GET", `/audit?action=user.update&count=3&cursor=${first.body.nextCursor}`);
    expect(second.body.entries.map((entry: { id: string }) => entry.id)).to.deep.equal(seeded.slice(0, 3).map((doc) => doc._id).reverse());
  });

  it("breaks ties between entries of the same millisecond by id", async () => {
    const tenant = await newTenant(server);
    const at = new Date("2031-05-05T05:05:05.005Z");
    await AuditModel.collection.insertMany(["a", "b", "c", "d"].map((suffix) => ({ _id: `tie-${suffix}-${tenant.id}`, tenant: tenant.id, at, actor: "seed", action: "user.update", target: "x", requestId: "r" })) as never[]);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tenant.admin("GET", `/audit?action=user.update&count=1${cursor ? `&cursor=${cursor}` : ""}`);
      ids.push(...page.body.entries.map((entry: { id: string }) => entry.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).to.deep.equal(["d", "c", "b", "a"].map((suffix) => `tie-${suffix}-${tenant.id}`));
  });

  it("filters by action and by target", async () => {
    const tenant = await newTenant(server);
    await seedEntries(tenant.id, 9, new Date("2030-01-01T00:00:00.000Z"));
    const byTarget = await tenant.admin("GET", "/audit?target=target-1");
    expect(byTarget.body.entries).to.have.length(3);
    for (const entry of byTarget.body.entries) expect(entry.target).to.equal("target-1");
    const id = await createUserId(tenant, "filtered.user");
    const byAction = await tenant.admin("GET", "/audit?action=user.create");
    expect(byAction.body.entries.map((entry: { target: string }) => entry.target)).to.deep.equal([id]);
    const both = await tenant.admin("GET", `/audit?action=user.update&target=${id}`);
    expect(both.body.entries).to.deep.equal([]);
  });

  it("filters by since and until, both inclusive to the millisecond", async () => {
    const tenant = await newTenant(server);
    const seeded = await seedEntries(tenant.id, 10, new Date("2030-03-01T12:00:00.000Z"));
    const since = seeded[2].at.toISOString();
    const until = seeded[5].at.toISOString();
    const page = await tenant.admin("GET", `/audit?since=${since}&until=${until}`);
    expect(page.body.entries.map((entry: { id: string }) => entry.id)).to.deep.equal(seeded.slice(2, 6).map((doc) => doc._id).reverse());
    const exact = await tenant.admin("GET", `/audit?since=${since}&until=${since}`);
    expect(exact.body.entries.map((entry: { id: string }) => entry.id)).to.deep.equal([seeded[2]._id]);
  });

  it("accepts an offset and bare dates [until covers the whole day]", async () => {
    const tenant = await newTenant(server);
    await AuditModel.collection.insertMany(
      [
        ["late-day-1", "2030-04-01T23:59:59.999Z"],
        ["day-2", "2030-04-02T00:00:00.000Z"],
      ].map(([suffix, at]) => ({ _id: `${suffix}-${tenant.id}`, tenant: tenant.id, at: new Date(at), actor: "seed", action: "user.update", target: "x", requestId: "r" })) as never[],
    );
    const dayOne = await tenant.admin("GET", "/audit?since=2030-04-01&until=2030-04-01");
    expect(dayOne.body.entries.map((entry: { id: string }) => entry.id)).to.deep.equal([`late-day-1-${tenant.id}`]);
    const offset = await tenant.admin("GET", `/audit?since=${encodeURIComponent("2030-04-02T01:59:59.999+02:00")}`);
    expect(offset.body.entries.map((entry: { id: string }) => entry.id)).to.deep.equal([`day-2-${tenant.id}`, `late-day-1-${tenant.id}`]);
  });

  it("returns 400 listing each invalid parameter [since, until, count, unknown]", async () => {
    const tenant = await newTenant(server);
    const answer = await tenant.admin("GET", "/audit?since=yesterday&until=2030-02-30&count=0&colour=red");
    expect(answer.status).to.equal(400);
    expect(answer.body.status).to.equal(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path).sort()).to.deep.equal(["/colour", "/count", "/since", "/until"]);
  });

  it("returns 400 for a date-time without an offset", async () => {
    const tenant = await newTenant(server);
    const answer = await tenant.admin("GET", "/audit?since=2030-01-01T10:00:00");
    expect(answer.status).to.equal(400);
    expect(answer.body.errors[0].path).to.equal("/since");
  });

  it("returns 400 for a count that is not a positive integer [text, negative]", async () => {
    const tenant = await newTenant(server);
    for (const count of ["ten", "-1", "1.5"]) {
      const answer = await tenant.admin("GET", `/audit?count=${count}`);
      expect(answer.status, count).to.equal(400);
    }
  });

  it("returns 400 for a cursor it did not issue", async () => {
    const tenant = await newTenant(server);
    for (const cursor of ["garbage", Buffer.from('{"at":"x"}').toString("base64url")]) {
      const answer = await tenant.admin("GET", `/audit?cursor=${cursor}`);
      expect(answer.status, cursor).to.equal(400);
      expect(answer.body.errors[0].path).to.equal("/cursor");
    }
  });

  it("returns 100 entries by default and caps count at 1000", async () => {
    const tenant = await newTenant(server);
    await seedEntries(tenant.id, 1005, new Date("2030-06-01T00:00:00.000Z"));
    const byDefault = await tenant.admin("GET", "/audit");
    expect(byDefault.body.entries).to.have.length(100);
    expect(byDefault.body.nextCursor).to.be.a("string");
    const capped = await tenant.admin("GET", "/audit?count=5000");
    expect(capped.status).to.equal(200);
    expect(capped.body.entries).to.have.length(1000);
    expect(capped.body.nextCursor).to.be.a("string");
  });

  it("shows only the tenant's own entries", async () => {
    const tenant = await newTenant(server);
    const other: TestTenant = await newTenant(server);
    await createUserId(other, "someone.else");
    const page = await request(`${server.url}/admin/v1/tenants/${tenant.id}/audit?action=user.create`, "GET", { token: ADMIN_TOKEN });
    expect(page.body.entries).to.deep.equal([]);
  });
});
