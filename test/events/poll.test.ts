import { expect } from "chai";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { createUser } from "../support/scim";
import { EventDeliveryModel, EventKeyModel, EventSubscriptionModel } from "../../src/store/models";
import { request, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";
import { waitFor } from "../support/wait";

const CREATE = "urn:ietf:params:scim:event:prov:create:full";
const ERASE = "urn:roster:params:event:erase";

interface PollSubscription {
  id: string;
  pollToken: string;
  pollPath: string;
}

async function pollSubscription(tenant: TestTenant): Promise<PollSubscription> {
  const res = await tenant.admin("POST", "/event-subscriptions", { delivery: "poll" });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  expect(res.body.pollToken).to.match(/^rse_/);
  return res.body;
}

function poll(server: TestServer, subscription: PollSubscription, body: unknown, token: string | null = subscription.pollToken): Promise<HttpResult> {
  return request(`${server.url}${subscription.pollPath}`, "POST", { token: token ?? undefined, body, headers: { "Content-Type": "application/json" } });
}

/** Polls until at least `count` SETs are owed (fan-out runs in the background). */
async function pollUntil(server: TestServer, subscription: PollSubscription, count: number): Promise<Record<string, string>> {
  let sets: Record<string, string> = {};
  await waitFor(async () => {
    const res = await poll(server, subscription, { maxEvents: 100 });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    sets = res.body.sets;
    return Object.keys(sets).length >= count;
  }, 10_000, 100);
  return sets;
}

/** Issue #11 part 4: RFC 8936 polling for receivers that cannot take pushes, and erase (SPEC §4) in undelivered SETs. */
describe("Lifecycle events: poll (RFC 8936)", function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("returns owed SETs until acknowledged, with the same jti each time, then no more", async () => {
    const tenant = await freshTenant(server, "evp");
    const subscription = await pollSubscription(tenant);
    const listed = await tenant.admin("GET", "/event-subscriptions");
    expect(JSON.stringify(listed.body)).to.not.include(subscription.pollToken);
    const users = [await createUser(tenant, "poll.one"), await createUser(tenant, "poll.two")];
    const first = await pollUntil(server, subscription, 2);
    expect(Object.keys(first)).to.have.length(2);
    const keys = createLocalJWKSet((await request(`${server.url}/events/v1/tenants/${tenant.id}/jwks.json`, "GET")).body);
    const subjects: string[] = [];
    for (const [jti, set] of Object.entries(first)) {
      const { payload } = await jwtVerify(set, keys, { audience: `urn:roster:event-subscription:${subscription.id}`, typ: "secevent+jwt" });
      expect(payload.jti).to.equal(jti);
      expect(Object.keys(payload.events as object)).to.deep.equal([CREATE]);
      subjects.push((payload.sub_id as { uri: string }).uri);
    }
    expect(subjects.sort()).to.deep.equal(users.map((user) => `/Users/${user.id}`).sort());

    // not acknowledged: returned again, same jtis (at-least-once)
    const again = await poll(server, subscription, {});
    expect(Object.keys(again.body.sets).sort()).to.deep.equal(Object.keys(first).sort());
    // one per poll: the other is more
    const one = await poll(server, subscription, { maxEvents: 1 });
    expect(Object.keys(one.body.sets)).to.have.length(1);
    expect(one.body.moreAvailable).to.equal(true);

    const [acked, refused] = Object.keys(first);
    const settled = await poll(server, subscription, { ack: [acked], setErrs: { [refused]: { err: "invalid_request", description: "cannot parse" } }, maxEvents: 10 });
    expect(settled.status).to.equal(200);
    expect(settled.body).to.deep.equal({ sets: {}, moreAvailable: false });
    const dead = await tenant.admin("GET", `/event-subscriptions/${subscription.id}/deliveries?status=dead`);
    expect(dead.body.deliveries.map((d: { jti: string; lastError: string }) => [d.jti, d.lastError])).to.deep.equal([[refused, "invalid_request: cannot parse"]]);
    const delivered = await tenant.admin("GET", `/event-subscriptions/${subscription.id}/deliveries?status=delivered`);
    expect(delivered.body.deliveries.map((d: { jti: string }) => d.jti)).to.deep.equal([acked]);
    // a dead letter retried is owed again
    expect((await tenant.admin("POST", `/event-subscriptions/${subscription.id}/deliveries/${refused}/retry`)).status).to.equal(200);
    expect(Object.keys((await poll(server, subscription, {})).body.sets)).to.deep.equal([refused]);
  });

  it("refuses a missing or wrong poll token, another subscription's token, and bad poll bodies", async () => {
    const tenant = await freshTenant(server, "evp");
    const subscription = await pollSubscription(tenant);
    const other = await pollSubscription(tenant);
    const anonymous = await poll(server, subscription, {}, null);
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get("www-authenticate")).to.match(/^Bearer /);
    expect((await poll(server, subscription, {}, "rse_wrong")).status).to.equal(401);
    expect((await poll(server, subscription, {}, other.pollToken)).status).to.equal(401);
    expect((await poll(server, { ...subscription, pollPath: `/events/v1/tenants/${tenant.id}/event-subscriptions/nope/poll` }, {})).status).to.equal(401);
    for (const body of [{ maxEvents: -1 }, { maxEvents: 5000 }, { ack: "jti" }, { setErrs: { x: { description: "no err" } } }, { extra: true }]) {
      const res = await poll(server, subscription, body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await poll(server, subscription, "{not json")).status).to.equal(400);
  });

  it("deleting the tenant deletes its subscriptions, owed SETs and signing key", async () => {
    const tenant = await freshTenant(server, "evp");
    const subscription = await pollSubscription(tenant);
    await createUser(tenant, "doomed");
    await pollUntil(server, subscription, 1);
    expect(await EventDeliveryModel.countDocuments({ tenant: tenant.id }).exec()).to.be.greaterThan(0);
    expect((await tenant.admin("DELETE", "")).status).to.equal(204);
    for (const model of [EventSubscriptionModel, EventDeliveryModel, EventKeyModel]) expect(await model.countDocuments({ tenant: tenant.id }).exec(), model.modelName).to.equal(0);
    expect((await poll(server, subscription, {})).status).to.equal(404);
  });

  it("an erase before delivery leaves no personal value in the SETs still owed", async () => {
    const tenant = await freshTenant(server, "evp");
    const subscription = await pollSubscription(tenant);
    const user = await createUser(tenant, "erin.erasable", { name: { givenName: "Erin", familyName: "Erasable" }, title: "Keeper of Secrets" });
    expect((await tenant.scim("DELETE", `/Users/${user.id}`)).status).to.equal(204);
    const erased = await tenant.admin("POST", `/users/${user.id}/erase`);
    expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
    // create, remove, erase
    const sets = await pollUntil(server, subscription, 3);
    const payloads = Object.values(sets).map((set) => decodeJwt(set));
    const text = JSON.stringify(payloads).toLowerCase();
    for (const personal of ["erin", "erasable", "keeper of secrets"]) expect(text, personal).to.not.include(personal);
    expect(payloads.some((payload) => Object.keys(payload.events as object).includes(ERASE))).to.equal(true);
    const created = payloads.find((payload) => Object.keys(payload.events as object).includes(CREATE))!;
    expect((created.events as any)[CREATE].data.userName).to.equal("[redacted]");
  });
});
