import { expect } from "chai";
import pino from "pino";
import { deactivateLeavers } from "../../src/jobs/run-jobs";
import { newTenant, startTestServer, userBody, type TestServer, type TestTenant } from "../support/test-server";
import { giveOwner, givePolicy } from "../support/admin";
import { createGroup, createUser, getUser, groupLeaderOf, managedBy, managerOf, patchOp, reactivatePatch, ledBy } from "../support/scim";
import { storedAuditOf, tokenIdOf } from "../support/store";
import { ENTERPRISE, ROSTER_USER, USER_MANAGER } from "../support/urns";
import { sleep, waitFor } from "../support/wait";

const LEAVE_DATE = `${ROSTER_USER}:leaveDate`;
const SYSTEM = "system:leave-date";

function leaving(at: Date, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, ROSTER_USER], [ROSTER_USER]: { leaveDate: at.toISOString() }, ...more };
}

function inMs(ms: number): Date {
  return new Date(Date.now() + ms);
}

/** Sets the leave date once the scene is set up, so a slow setup cannot race the sweep. */
async function leaveIn(tenant: TestTenant, userId: string, ms: number): Promise<void> {
  const res = await tenant.scim("PATCH", `/Users/${userId}`, patchOp({ op: "add", path: LEAVE_DATE, value: inMs(ms).toISOString() }));
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** Generous: the sweep runs every 200 ms, but a loaded CI machine may be slow to serve it. */
const PATIENCE_MS = 15_000;

async function deactivatedWithin(tenant: TestTenant, id: string, ms = PATIENCE_MS): Promise<boolean> {
  return waitFor(async () => (await getUser(tenant, id)).body.active === false, ms, 100);
}

async function refusalsOf(tenant: TestTenant): Promise<number> {
  return (await storedAuditOf(tenant, { action: "user.deactivate.refused" })).length;
}

/** A few more sweeps for sure, besides the server's own: run the job here too. */
async function sweepAgain(times = 3): Promise<void> {
  const logger = pino({ level: "silent" });
  for (let i = 0; i < times; i++) {
    await deactivateLeavers(logger);
    await sleep(150);
  }
}

/** SPEC §4 Leave date (seed 000): Roster deactivates leavers by itself. */
describe("Leave date", function () {
  this.timeout(45_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ jobIntervalMs: 200, leaseMs: 1000 });
  });
  after(async () => server.close());

  it("creates a user whose leave date has passed already deactivated [201 active:false]", async () => {
    const tenant = await newTenant(server);
    const created = await tenant.scim("POST", "/Users", userBody("gone", leaving(inMs(-60_000))));
    expect(created.status).to.equal(201);
    expect(created.body.active).to.equal(false);
    expect((await getUser(tenant, created.body.id)).body.active).to.equal(false);
    const [entry] = await storedAuditOf(tenant, { action: "user.deactivate", target: created.body.id });
    expect(entry.actor).to.equal(SYSTEM);
    expect(await storedAuditOf(tenant, { action: "user.create", target: created.body.id })).to.have.length(1);
  });

  it("deactivates a leader when the leave date passes, with the same reassignment, by system:leave-date", async () => {
    const tenant = await newTenant(server);
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const report = await createUser(tenant, "report", managedBy(leader.id));
    const group = await createGroup(tenant, "Led", [], ledBy(leader.id));
    await leaveIn(tenant, leader.id, 1500);
    expect((await getUser(tenant, leader.id)).body.active).to.equal(true);

    expect(await deactivatedWithin(tenant, leader.id)).to.equal(true);
    await waitFor(async () => managerOf((await getUser(tenant, report.id)).body) === boss.id, PATIENCE_MS);
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(boss.id);
    expect(await groupLeaderOf(tenant, group.id)).to.equal(boss.id);

    const deactivations = await storedAuditOf(tenant, { action: "user.deactivate", target: leader.id });
    expect(deactivations).to.have.length(1);
    expect(deactivations[0]).to.include({ actor: SYSTEM });
    expect(deactivations[0].before).to.deep.equal({ active: true });
    expect(deactivations[0].after).to.deep.equal({ active: false });
    const reassigned = await storedAuditOf(tenant, { action: "reports.reassign" });
    expect(reassigned.map((e) => e.target)).to.have.members([report.id, group.id]);
    for (const entry of reassigned) expect(entry).to.include({ actor: SYSTEM, cause: leader.id });
    expect(reassigned.find((e) => e.target === report.id)!.after).to.deep.equal({ [USER_MANAGER]: { value: boss.id } });
  });

  it("deactivates at once when a request sets a leave date that has passed [PATCH]", async () => {
    const tenant = await newTenant(server);
    const owner = await createUser(tenant, "owner");
    await giveOwner(tenant, owner.id);
    const leader = await createUser(tenant, "leader");
    const report = await createUser(tenant, "report", managedBy(leader.id));
    const res = await tenant.scim("PATCH", `/Users/${leader.id}`, patchOp({ op: "add", path: LEAVE_DATE, value: inMs(-1000).toISOString() }));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.active).to.equal(false);
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(owner.id);
    const [entry] = await storedAuditOf(tenant, { action: "user.deactivate", target: leader.id });
    expect(entry).to.include({ actor: SYSTEM, requestId: res.headers.get("x-request-id") });
  });

  it("skips the completeness check: the leave date is the authority", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { requiredProfileFields: [`${ENTERPRISE}:department`] });
    const user = await createUser(tenant, "incomplete");
    await leaveIn(tenant, user.id, 1000);
    expect(await deactivatedWithin(tenant, user.id)).to.equal(true);
    expect(await storedAuditOf(tenant, { action: "user.deactivate", target: user.id })).to.have.length(1);
  });

  it("leaves the owner active and audits one refusal with a reason however many sweeps run [owner guard]", async () => {
    const tenant = await newTenant(server);
    const owner = await createUser(tenant, "owner");
    await giveOwner(tenant, owner.id);
    await leaveIn(tenant, owner.id, 1000);
    expect(await waitFor(async () => (await refusalsOf(tenant)) > 0, PATIENCE_MS)).to.equal(true);
    await sweepAgain();
    expect((await getUser(tenant, owner.id)).body.active).to.equal(true);
    const refusals = await storedAuditOf(tenant, { action: "user.deactivate.refused" });
    expect(refusals).to.have.length(1);
    expect(refusals[0]).to.include({ actor: SYSTEM, target: owner.id });
    expect(refusals[0].reason).to.be.a("string").and.not.equal("");
    expect(await storedAuditOf(tenant, { action: "user.deactivate" })).to.have.length(0);
  });

  it("refuses under the block policy the same way, once [block]", async () => {
    const tenant = await newTenant(server);
    await givePolicy(tenant, { reassignReportsTo: "block" });
    const leader = await createUser(tenant, "leader");
    const report = await createUser(tenant, "report", managedBy(leader.id));
    await leaveIn(tenant, leader.id, 1000);
    expect(await waitFor(async () => (await refusalsOf(tenant)) > 0, PATIENCE_MS)).to.equal(true);
    await sweepAgain();
    expect((await getUser(tenant, leader.id)).body.active).to.equal(true);
    expect(managerOf((await getUser(tenant, report.id)).body)).to.equal(leader.id);
    expect(await storedAuditOf(tenant, { action: "user.deactivate.refused" })).to.have.length(1);
  });

  it("audits a refusal once per leave-date value and still applies the rest of the request [PATCH by the IdP]", async () => {
    const tenant = await newTenant(server);
    const owner = await createUser(tenant, "owner");
    await giveOwner(tenant, owner.id);
    const first = await tenant.scim("PATCH", `/Users/${owner.id}`, patchOp({ op: "add", path: LEAVE_DATE, value: inMs(-5000).toISOString() }, { op: "replace", path: "title", value: "CEO" }));
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ active: true, title: "CEO" });
    await sweepAgain(2);
    // the same leave date again changes nothing; a new one is a new refusal
    expect((await tenant.scim("PATCH", `/Users/${owner.id}`, patchOp({ op: "replace", path: "title", value: "Chair" }))).status).to.equal(200);
    expect(await storedAuditOf(tenant, { action: "user.deactivate.refused" })).to.have.length(1);
    expect((await tenant.scim("PATCH", `/Users/${owner.id}`, patchOp({ op: "replace", path: LEAVE_DATE, value: inMs(-1000).toISOString() }))).status).to.equal(200);
    await sweepAgain(2);
    expect(await storedAuditOf(tenant, { action: "user.deactivate.refused" })).to.have.length(2);
    expect((await getUser(tenant, owner.id)).body.active).to.equal(true);
  });

  it("deactivates a refused leaver once ownership is transferred", async () => {
    const tenant = await newTenant(server);
    const owner = await createUser(tenant, "owner");
    const successor = await createUser(tenant, "successor");
    await giveOwner(tenant, owner.id);
    await leaveIn(tenant, owner.id, 1000);
    expect(await waitFor(async () => (await refusalsOf(tenant)) > 0, PATIENCE_MS)).to.equal(true);
    await giveOwner(tenant, successor.id);
    expect(await deactivatedWithin(tenant, owner.id)).to.equal(true);
    expect(await storedAuditOf(tenant, { action: "user.deactivate.refused" })).to.have.length(1);
    const [entry] = await storedAuditOf(tenant, { action: "user.deactivate", target: owner.id });
    expect(entry.actor).to.equal(SYSTEM);
  });

  it("clears a passed leave date on reactivation, so the user stays active", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "returner");
    await leaveIn(tenant, user.id, 1000);
    expect(await deactivatedWithin(tenant, user.id)).to.equal(true);
    const back = await tenant.scim("PATCH", `/Users/${user.id}`, reactivatePatch());
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body.active).to.equal(true);
    expect(back.body[ROSTER_USER]?.leaveDate).to.equal(undefined);
    await sweepAgain(2);
    const after = (await getUser(tenant, user.id)).body;
    expect(after.active).to.equal(true);
    expect(after[ROSTER_USER]?.leaveDate).to.equal(undefined);
    const reactivation = await storedAuditOf(tenant, { action: "user.reactivate", target: user.id });
    expect(reactivation).to.have.length(1);
    expect(reactivation[0].actor).to.equal(await tokenIdOf(tenant));
    expect(await storedAuditOf(tenant, { action: "user.deactivate", target: user.id })).to.have.length(1);
  });

  it("keeps a future leave date on reactivation and honours it later", async () => {
    const tenant = await newTenant(server);
    const user = await createUser(tenant, "sabbatical");
    const res = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { active: false } }));
    expect(res.status).to.equal(200);
    const back = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", value: { active: true, [LEAVE_DATE]: inMs(1500).toISOString() } }));
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body[ROSTER_USER].leaveDate).to.be.a("string");
    expect(await deactivatedWithin(tenant, user.id)).to.equal(true);
    expect((await storedAuditOf(tenant, { action: "user.deactivate", target: user.id })).map((e) => e.actor)).to.include(SYSTEM);
  });
});
