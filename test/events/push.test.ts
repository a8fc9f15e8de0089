import { expect } from "chai";
import { createLocalJWKSet, jwtVerify, SignJWT, generateKeyPair, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { insertDeliveries } from "../../src/store/event-store";
import { EventDeliveryModel } from "../../src/store/models";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { createGroup, createUser, deactivatePatch, managedBy, reactivatePatch } from "../support/scim";
import { startEventReceiver, type EventReceiver } from "../support/event-receiver";
import { request, type TestServer, type TestTenant } from "../support/test-server";
import { ENTERPRISE, PATCH_OP, USER_MANAGER } from "../support/urns";
import { sleep, waitFor } from "../support/wait";

const SCIM_EVENT = "urn:ietf:params:scim:event";
const CREATE = `${SCIM_EVENT}:prov:create:full`;
const PATCH = `${SCIM_EVENT}:prov:patch:full`;
const DEACTIVATE = `${SCIM_EVENT}:prov:deactivate`;
const ACTIVATE = `${SCIM_EVENT}:prov:activate`;
const DELETE = `${SCIM_EVENT}:prov:delete`;
const REASSIGN = "urn:roster:params:event:reassign";
const LEAVE_DATE = "urn:roster:params:event:leaveDatePassed";
const SECRET = "receiver-secret-0123456789";

async function subscribe(tenant: TestTenant, receiver: EventReceiver, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await tenant.admin("POST", "/event-subscriptions", { url: receiver.url, secret: SECRET, ...extra });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id;
}

async function jwksOf(server: TestServer, tenant: string): Promise<JSONWebKeySet> {
  const res = await request(`${server.url}/events/v1/tenants/${tenant}/jwks.json`, "GET");
  expect(res.status).to.equal(200);
  return res.body;
}

/** Waits until the receiver accepted `count` distinct SETs (the test's patience: 10 s). */
async function acceptedAtLeast(receiver: EventReceiver, count: number): Promise<string[]> {
  await waitFor(async () => new Set(receiver.accepted()).size >= count, 10_000, 50);
  return [...new Set(receiver.accepted())];
}

function eventsOf(receiver: EventReceiver): Array<{ uris: string[]; sub: string; claims: Record<string, any> }> {
  const seen = new Map<string, Record<string, any>>();
  for (const set of receiver.received) if (set.status === 202) seen.set(set.claims.jti, set.claims);
  return [...seen.values()].map((claims) => ({ uris: Object.keys(claims.events), sub: claims.sub_id.uri, claims }));
}

/** Issue #11 part 4: lifecycle events pushed as signed SETs (RFC 8417, RFC 8935, RFC 9967). */
describe("Lifecycle events: push (RFC 8935)", function () {
  this.timeout(30_000);
  let server: TestServer;
  const receivers: EventReceiver[] = [];
  const receiver = async (answer?: Parameters<typeof startEventReceiver>[0]) => {
    const started = await startEventReceiver(answer);
    receivers.push(started);
    return started;
  };
  before(async () => {
    server = await sharedTestServer();
  });
  afterEach(async () => {
    while (receivers.length) await receivers.pop()!.close();
  });

  it("drops deliveries owed to a deleted subscription instead of letting them stall every push [fan-out racing a DELETE]", async () => {
    const tenant = await freshTenant(server, "ev");
    // what a fan-out that listed a subscription before its DELETE inserts after it: more than a push batch, all due long ago
    const gone = `gone-${Date.now()}`;
    const orphans = Array.from({ length: 60 }, (_, index) => ({
      _id: `${gone}:${index}`, tenant: tenant.id, subscription: gone, delivery: "push" as const, jti: `orphan-${gone}-${index}`, events: [CREATE],
      status: "pending" as const, attempts: 0, nextAttemptAt: new Date(0), lastError: null, createdAt: new Date(0), deliveredAt: null,
    }));
    await insertDeliveries(orphans);
    const rx = await receiver();
    await subscribe(tenant, rx);
    await createUser(tenant, "after.the.orphans");
    expect(await acceptedAtLeast(rx, 1)).to.have.length(1);
    expect(await EventDeliveryModel.countDocuments({ subscription: gone }).exec()).to.equal(0);
  });

  it("pushes a SET signed with the tenant's key, verifiable against its JWKS, with the RFC 9967 claims", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver();
    await subscribe(tenant, rx);
    const user = await createUser(tenant, "jane.push");
    const [jti] = await acceptedAtLeast(rx, 1);
    const set = rx.received.find((entry) => entry.claims.jti === jti)!;
    expect(set.contentType).to.equal("application/secevent+jwt");
    expect(set.authorization).to.equal(`Bearer ${SECRET}`);
    const { payload, protectedHeader } = await jwtVerify(set.jwt, createLocalJWKSet(await jwksOf(server, tenant.id)), {
      issuer: `urn:roster:tenant:${tenant.id}`,
      audience: rx.url,
      typ: "secevent+jwt",
    });
    expect(protectedHeader.alg).to.equal("ES256");
    expect(payload.sub_id).to.deep.equal({ format: "scim", uri: `/Users/${user.id}` });
    expect(Object.keys(payload.events as object)).to.deep.equal([CREATE]);
    const data = (payload.events as any)[CREATE].data;
    expect(data).to.include({ id: user.id, userName: "jane.push", active: true });
    expect(data.name).to.deep.equal({ givenName: "Given", familyName: "Family" });
    expect(payload.iat).to.be.a("number");
    expect(payload.txn).to.be.a("string");
  });

  it("a SET fails verification against another tenant's keys, and a SET signed with another key fails against this tenant's", async () => {
    const tenant = await freshTenant(server, "ev");
    const other = await freshTenant(server, "ev");
    const rx = await receiver();
    await subscribe(tenant, rx);
    await createUser(tenant, "key.check");
    const [jti] = await acceptedAtLeast(rx, 1);
    const genuine = rx.received.find((entry) => entry.claims.jti === jti)!.jwt;
    const ownKeys = createLocalJWKSet(await jwksOf(server, tenant.id));
    await jwtVerify(genuine, ownKeys);
    const otherKeys = createLocalJWKSet(await jwksOf(server, other.id));
    let refused: unknown;
    await jwtVerify(genuine, otherKeys).catch((error) => (refused = error));
    expect(refused, "verified against the wrong tenant's JWKS").to.be.instanceOf(Error);

    // a forger who knows the kid but not the private key
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(rx.received[0].claims).setProtectedHeader({ alg: "ES256", kid: decodeProtectedHeader(genuine).kid, typ: "secevent+jwt" }).sign(privateKey);
    refused = undefined;
    await jwtVerify(forged, ownKeys).catch((error) => (refused = error));
    expect((refused as { code?: string })?.code).to.equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");

    // a genuine SET whose payload was altered
    const [header, , signature] = genuine.split(".");
    const altered = Buffer.from(JSON.stringify({ ...rx.received[0].claims, sub_id: { format: "scim", uri: "/Users/someone-else" } })).toString("base64url");
    refused = undefined;
    await jwtVerify(`${header}.${altered}.${signature}`, ownKeys).catch((error) => (refused = error));
    expect((refused as { code?: string })?.code).to.equal("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("creates one key per tenant even when many first uses race", async () => {
    const tenant = await freshTenant(server, "ev");
    const answers = await Promise.all(Array.from({ length: 8 }, () => jwksOf(server, tenant.id)));
    const kids = new Set(answers.map((jwks) => jwks.keys.map((key) => key.kid).join()));
    expect(kids.size).to.equal(1);
    expect(answers[0].keys).to.have.length(1);
    expect(answers[0].keys[0]).to.not.have.property("d");
    expect((await request(`${server.url}/events/v1/tenants/no-such-tenant/jwks.json`, "GET")).status).to.equal(404);
  });

  it("retries a receiver that answers 500 then 202: the same jti twice, nothing else", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver((_set, index) => (index === 0 ? 500 : 202));
    const id = await subscribe(tenant, rx);
    await createUser(tenant, "flaky.receiver");
    const [jti] = await acceptedAtLeast(rx, 1);
    expect(rx.received.map((set) => [set.claims.jti, set.status])).to.deep.equal([
      [jti, 500],
      [jti, 202],
    ]);
    // the receiver answered before Roster recorded the answer
    const delivered = await waitFor(async () => {
      const listed = (await tenant.admin("GET", `/event-subscriptions/${id}/deliveries?status=delivered`)).body.deliveries;
      return listed.length ? listed : undefined;
    }, 5000, 50);
    expect(delivered).to.have.length(1);
    expect(delivered[0]).to.include({ jti, status: "delivered", attempts: 2 });
  });

  it("dead-letters a SET after the configured attempts, shows it, and delivers it once retried", async () => {
    const tenant = await freshTenant(server, "ev");
    let accept = false;
    const rx = await receiver(() => (accept ? 202 : 503));
    const id = await subscribe(tenant, rx);
    await createUser(tenant, "dead.letter");
    const dead = await waitFor(async () => (await tenant.admin("GET", `/event-subscriptions/${id}/deliveries?status=dead`)).body.deliveries[0], 10_000, 50);
    expect(dead).to.include({ status: "dead", attempts: 3 });
    expect(dead.lastError).to.match(/HTTP 503/);
    expect(rx.received).to.have.length(3);
    const view = await tenant.admin("GET", `/event-subscriptions/${id}`);
    expect(view.body.deliveries).to.deep.equal({ pending: 0, failed: 0, dead: 1 });

    accept = true;
    const retried = await tenant.admin("POST", `/event-subscriptions/${id}/deliveries/${dead.jti}/retry`);
    expect(retried.status).to.equal(200);
    expect(retried.body).to.include({ status: "pending", attempts: 0 });
    expect(await acceptedAtLeast(rx, 1)).to.deep.equal([dead.jti]);
    await waitFor(async () => (await tenant.admin("GET", `/event-subscriptions/${id}/deliveries?status=delivered`)).body.deliveries.length === 1, 5000, 50);
    const again = await tenant.admin("POST", `/event-subscriptions/${id}/deliveries/${dead.jti}/retry`);
    expect(again.status).to.equal(409);
    expect((await tenant.admin("POST", `/event-subscriptions/${id}/deliveries/no-such-jti/retry`)).status).to.equal(404);
  });

  it("an unreachable receiver fails no SCIM write; its SETs wait as failed, then dead, with the reason", async () => {
    const tenant = await freshTenant(server, "ev");
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    const res = await tenant.admin("POST", "/event-subscriptions", { url });
    const user = await tenant.scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "nobody.listens" });
    expect(user.status).to.equal(201);
    const dead = await waitFor(async () => (await tenant.admin("GET", `/event-subscriptions/${res.body.id}/deliveries?status=dead`)).body.deliveries[0], 10_000, 50);
    expect(dead).to.include({ attempts: 3 });
    expect(dead.lastError).to.match(/fetch failed|ECONNREFUSED/i);
  });

  it("a slow receiver does not slow SCIM writes; its SETs still arrive", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver(async () => {
      await sleep(1500);
      return 202;
    });
    await subscribe(tenant, rx);
    const times: number[] = [];
    for (let index = 0; index < 6; index++) {
      const started = Date.now();
      await createUser(tenant, `slow.${index}`);
      times.push(Date.now() - started);
      await sleep(150);
    }
    // each push takes 1.5 s; a write waiting on one would take at least that
    expect(Math.max(...times), `write times ${times.join(", ")} ms`).to.be.below(1000);
    expect(await acceptedAtLeast(rx, 6)).to.have.length(6);
  });

  it("emits create, update, deactivate (with the hand-over), reactivate and remove, each once, in RFC 9967 terms", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver();
    await subscribe(tenant, rx);
    const boss = await createUser(tenant, "boss");
    const leader = await createUser(tenant, "leader", managedBy(boss.id));
    const report = await createUser(tenant, "report", managedBy(leader.id));
    expect((await tenant.scim("PATCH", `/Users/${leader.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Lead" }] })).status).to.equal(200);
    expect((await tenant.scim("PATCH", `/Users/${leader.id}`, deactivatePatch())).status).to.equal(200);
    expect((await tenant.scim("PATCH", `/Users/${leader.id}`, reactivatePatch())).status).to.equal(200);
    expect((await tenant.scim("DELETE", `/Users/${leader.id}`)).status).to.equal(204);
    // 3 creates, the update, the deactivation, the report's hand-over, the reactivation, the removal
    await acceptedAtLeast(rx, 8);
    await sleep(300);
    const events = eventsOf(rx);
    const about = (id: string) => events.filter((event) => event.sub === `/Users/${id}`).map((event) => event.uris);
    // pushes of one sweep run at once, so they may arrive in any order
    expect(about(leader.id)).to.have.deep.members([[CREATE], [PATCH], [DEACTIVATE], [ACTIVATE], [DELETE]]).and.have.length(5);
    expect(about(report.id)).to.have.deep.members([[CREATE], [PATCH, REASSIGN]]).and.have.length(2);
    const handOver = events.find((event) => event.uris.includes(REASSIGN))!.claims.events;
    expect(handOver[REASSIGN]).to.deep.equal({ leaver: leader.id, from: leader.id, to: boss.id, attribute: USER_MANAGER });
    expect(handOver[PATCH].data.Operations).to.deep.equal([{ op: "replace", path: USER_MANAGER, value: { value: boss.id } }]);
    const update = events.find((event) => event.uris.includes(PATCH) && event.sub === `/Users/${leader.id}`)!.claims.events[PATCH];
    expect(update.data).to.deep.equal({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Lead" }] });
    // every SET exactly once per jti: duplicates only of the same jti
    expect(new Set(rx.received.map((set) => set.claims.jti)).size).to.equal(events.length);
  });

  it("a passed leave date carries the leaver's manager, so the receiver can notify them", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver();
    await subscribe(tenant, rx, { events: [LEAVE_DATE] });
    const boss = await createUser(tenant, "leave.boss");
    const leaver = await createUser(tenant, "leave.leaver", {
      [ENTERPRISE]: { manager: { value: boss.id } },
      "urn:ietf:params:scim:schemas:extension:roster:2.0:User": { leaveDate: "2020-01-01T00:00:00Z" },
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, "urn:ietf:params:scim:schemas:extension:roster:2.0:User"],
    });
    expect(leaver.active).to.equal(false);
    await acceptedAtLeast(rx, 1);
    await sleep(300);
    const events = eventsOf(rx);
    // the subscription asked for leave dates only: the creates are not sent
    expect(events.map((event) => [event.sub, event.uris])).to.deep.equal([[`/Users/${leaver.id}`, [DEACTIVATE, LEAVE_DATE]]]);
    expect(events[0].claims.events[LEAVE_DATE]).to.deep.equal({ manager: { value: boss.id } });
  });

  it("a leader whose leave date passes: the deactivation names their manager, the hand-over names the leaver (README's worked example)", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver();
    const cy = await createUser(tenant, "cy");
    const ann = await createUser(tenant, "ann", managedBy(cy.id));
    const bob = await createUser(tenant, "bob", managedBy(ann.id));
    await subscribe(tenant, rx, { events: [DEACTIVATE, REASSIGN] });
    const leaveDate = { op: "replace", path: "urn:ietf:params:scim:schemas:extension:roster:2.0:User:leaveDate", value: "2021-06-30T17:00:00Z" };
    const res = await tenant.scim("PATCH", `/Users/${ann.id}`, { schemas: [PATCH_OP], Operations: [leaveDate] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.active).to.equal(false);
    await acceptedAtLeast(rx, 2);
    await sleep(300);
    const events = eventsOf(rx);
    expect(events.map((event) => [event.sub, event.uris])).to.have.deep.members([
      [`/Users/${ann.id}`, [DEACTIVATE, LEAVE_DATE]],
      [`/Users/${bob.id}`, [PATCH, REASSIGN]],
    ]);
    const deactivation = events.find((event) => event.sub === `/Users/${ann.id}`)!.claims;
    expect(deactivation.events[LEAVE_DATE]).to.deep.equal({ manager: { value: cy.id } });
    const handOver = events.find((event) => event.sub === `/Users/${bob.id}`)!.claims;
    expect(handOver.events[REASSIGN]).to.deep.equal({ leaver: ann.id, from: ann.id, to: cy.id, attribute: USER_MANAGER });
    // one change, one transaction
    expect(handOver.txn).to.equal(deactivation.txn);
  });

  it("groups are events too: a created group's SET is about /Groups/<id> and carries its members", async () => {
    const tenant = await freshTenant(server, "ev");
    const rx = await receiver();
    const member = await createUser(tenant, "member");
    await subscribe(tenant, rx, { events: [CREATE] });
    const group = await createGroup(tenant, "Platform", [member.id]);
    await acceptedAtLeast(rx, 1);
    await sleep(300);
    const events = eventsOf(rx);
    expect(events.map((event) => event.sub)).to.deep.equal([`/Groups/${group.id}`]);
    const data = events[0].claims.events[CREATE].data;
    expect(data).to.include({ id: group.id, displayName: "Platform" });
  });

  it("answers bad subscriptions with a 400 naming each problem, and unknown ones with 404", async () => {
    const tenant = await freshTenant(server, "ev");
    const cases: Array<[unknown, string]> = [
      [{}, "/url"],
      [{ url: "ftp://x.example/in" }, "/url"],
      [{ url: "https://x.example/in", events: ["urn:ietf:params:scim:event:prov:nope"] }, "/events/0"],
      [{ url: "https://x.example/in", events: [] }, "/events"],
      [{ url: "https://x.example/in", secret: "short" }, "/secret"],
      [{ url: "https://x.example/in", delivery: "carrier-pigeon" }, "/delivery"],
      [{ url: "https://x.example/in", colour: "red" }, "/colour"],
      [{ delivery: "poll", url: "https://x.example/in" }, "/url"],
      [{ delivery: "poll", secret: "a-long-enough-secret" }, "/secret"],
    ];
    for (const [body, path] of cases) {
      const res = await tenant.admin("POST", "/event-subscriptions", body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.errors.map((error: { path: string }) => error.path), JSON.stringify(body)).to.include(path);
    }
    expect((await tenant.admin("GET", "/event-subscriptions")).body.subscriptions).to.deep.equal([]);
    for (const [method, path] of [["GET", "/event-subscriptions/nope"], ["PUT", "/event-subscriptions/nope"], ["DELETE", "/event-subscriptions/nope"], ["GET", "/event-subscriptions/nope/deliveries"]]) {
      expect((await tenant.admin(method, path, method === "PUT" ? { url: "https://x.example/in" } : undefined)).status, `${method} ${path}`).to.equal(404);
    }
  });

  it("lists, replaces and deletes subscriptions without ever showing the secret", async () => {
    const tenant = await freshTenant(server, "ev");
    const created = await tenant.admin("POST", "/event-subscriptions", { url: "https://receiver.example/in", secret: SECRET, events: [DEACTIVATE] });
    expect(created.body).to.include({ delivery: "push", url: "https://receiver.example/in", hasSecret: true, pollPath: null });
    expect(JSON.stringify(created.body)).to.not.include(SECRET);
    const replaced = await tenant.admin("PUT", `/event-subscriptions/${created.body.id}`, { url: "https://receiver.example/v2" });
    expect(replaced.status).to.equal(200);
    expect(replaced.body).to.include({ url: "https://receiver.example/v2", hasSecret: false, events: null });
    expect((await tenant.admin("PUT", `/event-subscriptions/${created.body.id}`, { delivery: "poll" })).status).to.equal(400);
    const listed = await tenant.admin("GET", "/event-subscriptions");
    expect(listed.body.subscriptions.map((s: { id: string }) => s.id)).to.deep.equal([created.body.id]);
    expect(JSON.stringify(listed.body)).to.not.include(SECRET);
    expect((await tenant.admin("DELETE", `/event-subscriptions/${created.body.id}`)).status).to.equal(204);
    expect((await tenant.admin("GET", "/event-subscriptions")).body.subscriptions).to.deep.equal([]);
  });
});
