import { expect } from "chai";
import fc from "fast-check";
import subscriptionSchema from "../../schemas/admin-event-subscription.schema.json";
import { afterFailedPush, ALL_EVENT_URIS, eventUrisOf, LEAVE_DATE_ACTOR, MAX_RETRY_DELAY_MS, patchFromChange, resourceFromPaths, securityEventClaims, subscriptionWants } from "../../src/domain";

const ENTRY = { _id: "e1", tenant: "acme", at: new Date("2026-01-02T03:04:05.678Z"), actor: "tok", requestId: "req-1", target: "u1" };

describe("domain: security events (RFC 8417, RFC 9967)", () => {
  it("the subscription schema accepts exactly the event URIs Roster emits", () => {
    expect(subscriptionSchema.properties.events.items.enum).to.have.members([...ALL_EVENT_URIS]).and.have.length(ALL_EVENT_URIS.length);
  });

  it("maps each lifecycle action to its RFC 9967 or Roster event URIs, and everything else to none", () => {
    expect(eventUrisOf({ action: "user.deactivate", actor: "tok" })).to.deep.equal(["urn:ietf:params:scim:event:prov:deactivate"]);
    expect(eventUrisOf({ action: "user.deactivate", actor: LEAVE_DATE_ACTOR })).to.deep.equal(["urn:ietf:params:scim:event:prov:deactivate", "urn:roster:params:event:leaveDatePassed"]);
    for (const action of ["token.create", "policy.update", "user.deactivate.refused", "owner.update", "eventSubscription.create"]) expect(eventUrisOf({ action, actor: "admin" }), action).to.deep.equal([]);
    expect(securityEventClaims({ ...ENTRY, action: "token.create" })).to.equal(null);
  });

  it("builds the claims from the entry alone: jti is the entry id, iat and toe its time in seconds", () => {
    const claims = securityEventClaims({ ...ENTRY, action: "user.remove" })!;
    expect(claims).to.deep.equal({
      iss: "urn:roster:tenant:acme",
      jti: "e1",
      iat: 1767323045,
      toe: 1767323045,
      txn: "req-1",
      sub_id: { format: "scim", uri: "/Users/u1" },
      events: { "urn:ietf:params:scim:event:prov:delete": {} },
    });
    expect(securityEventClaims({ ...ENTRY, action: "group.create", after: { displayName: "Ops" } })!.sub_id).to.deep.equal({ format: "scim", uri: "/Groups/u1" });
  });

  it("rebuilds a resource from audit paths, extension attributes under their URN", () => {
    const urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    expect(resourceFromPaths("u1", { userName: "ann", "name.givenName": "Ann", [`${urn}:department`]: "Ops", [`${urn}:manager`]: { value: "m1" }, title: null })).to.deep.equal({
      id: "u1",
      userName: "ann",
      name: { givenName: "Ann" },
      [urn]: { department: "Ops", manager: { value: "m1" } },
    });
  });

  it("a change becomes a PATCH that replaces what is set and removes what was cleared, one operation per path", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("title", "nickName", "name.givenName", "emails"), fc.option(fc.string(), { nil: null })), (after) => {
        const before = Object.fromEntries(Object.keys(after).map((path) => [path, "old"]));
        const patch = patchFromChange(before, after) as { Operations: Array<{ op: string; path: string; value?: unknown }> };
        expect(patch.Operations.map((operation) => operation.path).sort()).to.deep.equal(Object.keys(after).sort());
        for (const operation of patch.Operations) {
          if (after[operation.path] === null) expect(operation).to.deep.equal({ op: "remove", path: operation.path });
          else expect(operation).to.deep.equal({ op: "replace", path: operation.path, value: after[operation.path] });
        }
      }),
    );
  });

  it("a subscription with no list wants everything; with a list, any of its URIs", () => {
    expect(subscriptionWants(null, ["a"])).to.equal(true);
    expect(subscriptionWants(["b"], ["a", "b"])).to.equal(true);
    expect(subscriptionWants(["b"], ["a"])).to.equal(false);
    expect(subscriptionWants(null, [])).to.equal(false);
  });

  it("backs off exponentially up to an hour and gives up at the last attempt", () => {
    expect([1, 2, 3, 4].map((attempts) => afterFailedPush(attempts, 5, 100))).to.deep.equal([
      { dead: false, delayMs: 100 },
      { dead: false, delayMs: 200 },
      { dead: false, delayMs: 400 },
      { dead: false, delayMs: 800 },
    ]);
    expect(afterFailedPush(5, 5, 100)).to.deep.equal({ dead: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 10, max: 1e7 }), (attempts, max, base) => {
        const next = afterFailedPush(attempts, max, base);
        expect(next.dead).to.equal(attempts >= max);
        if (!next.dead) expect(next.delayMs).to.be.within(Math.min(base, MAX_RETRY_DELAY_MS), MAX_RETRY_DELAY_MS);
      }),
    );
  });
});
