import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { startEventReceiver, type EventReceiver } from "../support/event-receiver";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { testDatabaseUri } from "../support/root-hooks";
import { adminRequest, tenantAt, userBody, type TestTenant } from "../support/test-server";
import { sleep, waitFor } from "../support/wait";

const EVENT_ACTIONS = new Set(["user.create", "user.update", "user.deactivate", "user.reactivate", "user.remove", "user.erase", "reports.reassign", "group.create", "group.update", "group.delete"]);
const FAST = { ROSTER_EVENT_INTERVAL_MS: "100", ROSTER_EVENT_RETRY_MS: "100", ROSTER_EVENT_MAX_ATTEMPTS: "50", ROSTER_EVENT_TIMEOUT_MS: "5000", ROSTER_LEASE_MS: "1000" };
/** a child that fans out and pushes once at start, and never again within the test */
const IDLE = { ...FAST, ROSTER_EVENT_INTERVAL_MS: "3600000" };

/**
 * The children run on a database of their own, so no in-process server of the test run
 * delivers their events: whatever arrives was delivered by the restarted child.
 */
describe("Lifecycle events survive kill -9 (Roster as child processes)", function () {
  this.timeout(120_000);
  const databaseName = `roster_events_${randomUUID().slice(0, 8)}`;
  const children: RosterChild[] = [];
  let receiver: EventReceiver | undefined;
  afterEach(async () => {
    while (children.length) await children.pop()!.stop();
    await receiver?.close();
  });

  async function child(env: Record<string, string>): Promise<RosterChild> {
    const started = await startRosterChild(env, { uri: testDatabaseUri(), name: databaseName });
    children.push(started);
    return started;
  }

  function kill9(roster: RosterChild): Promise<number | null> {
    roster.process.kill("SIGKILL");
    return roster.exited;
  }

  async function setUp(roster: RosterChild, url: string): Promise<TestTenant> {
    const id = `crash-ev-${randomUUID().slice(0, 8)}`;
    expect((await adminRequest(`${roster.url}/admin/v1/tenants`, "POST", { id })).status).to.equal(201);
    const token = await adminRequest(`${roster.url}/admin/v1/tenants/${id}/tokens`, "POST", {});
    const tenant = tenantAt(roster.url, id, token.body.token);
    expect((await tenant.admin("POST", "/event-subscriptions", { url })).status).to.equal(201);
    return tenant;
  }

  /** Every event the tenant's audit log holds, by id: what must arrive. */
  async function expectedJtis(roster: RosterChild, tenant: string): Promise<string[]> {
    const res = await adminRequest(`${roster.url}/admin/v1/tenants/${tenant}/audit?count=1000`, "GET");
    return res.body.entries.filter((entry: { action: string }) => EVENT_ACTIONS.has(entry.action)).map((entry: { id: string }) => entry.id);
  }

  async function writeSome(tenant: TestTenant, count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      const res = await tenant.scim("POST", "/Users", userBody(`crash.${index}.${randomUUID().slice(0, 4)}`));
      expect(res.status).to.equal(201);
    }
  }

  async function expectAllArrive(restarted: RosterChild, tenant: TestTenant, rx: EventReceiver): Promise<void> {
    const expected = await expectedJtis(restarted, tenant.id);
    const arrived = await waitFor(async () => {
      const accepted = new Set(rx.accepted());
      return expected.every((jti) => accepted.has(jti)) ? accepted : undefined;
    }, 30_000, 100);
    expect(arrived, `arrived ${rx.accepted().length} of ${expected.length}`).to.not.equal(undefined);
    // nothing invented: every SET received is one of the audit log's events; duplicates only of the same jti
    expect([...new Set(rx.received.map((set) => set.claims.jti))].sort()).to.deep.equal([...expected].sort());
    for (const set of rx.received) expect(set.claims.jti).to.be.a("string");
  }

  it("delivers the events of writes whose process was killed before fanning them out", async () => {
    receiver = await startEventReceiver();
    const first = await child(IDLE);
    const tenant = await setUp(first, receiver.url);
    await writeSome(tenant, 8);
    const leader = (await tenant.scim("GET", "/Users?count=1")).body.Resources[0];
    expect((await tenant.scim("PATCH", `/Users/${leader.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] })).status).to.equal(200);
    await sleep(300);
    expect(receiver.received, "the idle child pushed nothing").to.have.length(0);
    expect(await kill9(first)).to.equal(null);

    const second = await child(FAST);
    await expectAllArrive(second, tenantAt(second.url, tenant.id, tenant.token), receiver);
    expect(receiver.accepted()).to.have.length(9);
  });

  it("delivers SETs whose push was in flight when its process was killed (again, with the same jti)", async () => {
    let slow = true;
    receiver = await startEventReceiver(async () => {
      if (slow) await sleep(3000);
      return 202;
    });
    const first = await child(FAST);
    const tenant = await setUp(first, receiver.url);
    await writeSome(tenant, 5);
    // the pushes are under way, each waiting on the receiver
    await sleep(700);
    expect(await kill9(first)).to.equal(null);
    slow = false;
    const second = await child(FAST);
    await expectAllArrive(second, tenantAt(second.url, tenant.id, tenant.token), receiver);
    expect(new Set(receiver.accepted()).size).to.equal(5);
    // the killed process's pushes were cut off: their SETs came again, under the same jti
    await waitFor(async () => receiver!.received.some((set) => set.status === 0), 5000, 100);
    const cutOff = receiver.received.filter((set) => set.status === 0).map((set) => set.claims.jti);
    expect(cutOff.length).to.be.greaterThan(0);
    for (const jti of cutOff) expect(receiver.accepted()).to.include(jti);
  });
});
