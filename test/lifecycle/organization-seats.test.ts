import { expect } from "chai";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { HIDDEN_TENANT } from "../../src/domain/describe-seat-effect";
import { RosterError } from "../../src/domain/roster-error";
import { resumeAbandonedTransitions } from "../../src/jobs/run-jobs";
import { seatEffect } from "../../src/services/seat-effect";
import { admin } from "../support/admin";
import { createUserId, deactivate, expectScimError, remove } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { userBody, type TestServer, type TestTenant } from "../support/test-server";
import { later, withRuntime } from "../support/runtime";
import { BULK_REQUEST } from "../support/urns";

/**
 * Issue #11 part 3 (seed 002): seats counted once per person across an organization's
 * tenants (userName, case-insensitively); active and deactivated users use one, removal
 * frees it only when no other tenant of the organization has the person.
 */
describe("Organization seats over SCIM", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  async function organizationOf(seatLimit: number | null, ...tenants: TestTenant[]): Promise<string> {
    const id = `org-${randomUUID().slice(0, 8)}`;
    expect((await admin(server, "POST", "/organizations", { id, seatLimit })).status).to.equal(201);
    for (const tenant of tenants) expect((await tenant.admin("PUT", "/organization", { organizationId: id })).status).to.equal(200);
    return id;
  }
  async function used(org: string): Promise<number> {
    const res = await admin(server, "GET", `/organizations/${org}`);
    expect(res.status).to.equal(200);
    return res.body.used;
  }
  /** The truth the seat count must agree with: distinct userNames, case-insensitively, of the tenants' live users. */
  async function distinctPeople(...tenants: TestTenant[]): Promise<number> {
    const names = new Set<string>();
    for (const tenant of tenants) {
      const page = await tenant.scim("GET", "/Users?count=1000&attributes=userName");
      expect(page.status).to.equal(200);
      for (const user of page.body.Resources ?? []) names.add(String(user.userName).toLowerCase());
    }
    return names.size;
  }

  it("counts a person once across tenants and refuses a new person beyond the limit with 403 [userName case differs]", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(2, a, b);
    await createUserId(a, "ann.lee");
    await createUserId(a, "bob.ray");
    expect((await b.scim("POST", "/Users", userBody("ANN.Lee"))).status, "Ann holds a seat already").to.equal(201);
    const refused = await b.scim("POST", "/Users", userBody("carol.fox"));
    expectScimError(refused, 403);
    expect(refused.body.detail).to.match(/no seat is left in organization/i).and.include(org);
    expect(await used(org)).to.equal(2);
    expect((await b.admin("GET", "/seats")).body).to.deep.equal({ limit: null, used: 1, organization: { id: org, limit: 2, used: 2 } });
    expect((await b.scim("GET", "/Users")).body.totalResults, "the refused create left nothing behind").to.equal(1);
  });

  it("keeps the seat of a deactivated user, frees it on removal only when no other tenant has the person", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(2, a, b);
    const annInA = await createUserId(a, "ann");
    const bob = await createUserId(a, "bob");
    const annInB = await createUserId(b, "Ann");
    await deactivate(a, bob);
    expect(await used(org), "deactivated Bob keeps his seat").to.equal(2);
    expectScimError(await b.scim("POST", "/Users", userBody("carol")), 403);

    await remove(a, annInA);
    expect(await used(org), "Ann is still in the other tenant").to.equal(2);
    expectScimError(await b.scim("POST", "/Users", userBody("carol")), 403);
    await remove(b, annInB);
    expect(await used(org), "Ann is gone from the organization").to.equal(1);
    expect((await b.scim("POST", "/Users", userBody("carol"))).status).to.equal(201);
    expectScimError(await a.scim("POST", "/Users", userBody("dave")), 403);
  });

  it("applies the organization limit per Bulk operation; the others go on", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    await organizationOf(2, a, b);
    await createUserId(a, "shared");
    const res = await b.scim("POST", "/Bulk", {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "one", data: userBody("SHARED") },
        { method: "POST", path: "/Users", bulkId: "two", data: userBody("new.one") },
        { method: "POST", path: "/Users", bulkId: "three", data: userBody("new.two") },
      ],
    });
    expect(res.status).to.equal(200);
    expect(res.body.Operations.map((op: { status: string }) => String(op.status))).to.deep.equal(["201", "201", "403"]);
    expect(await distinctPeople(a, b)).to.equal(2);
  });

  it("still enforces the tenant's own seatLimit inside an organization", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(10, a, b);
    expect((await a.admin("PUT", "/policy", { seatLimit: 1 })).status).to.equal(200);
    await createUserId(b, "pat");
    await createUserId(a, "pat");
    const refused = await a.scim("POST", "/Users", userBody("quinn"));
    expectScimError(refused, 403);
    expect(refused.body.detail).to.match(/seatLimit 1 reached/);
    expect(await used(org)).to.equal(1);
  });

  it("moves the seat with a rename and an erasure; an erasure is never refused, even in a full organization", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(2, a, b);
    const inA = await createUserId(a, "sam");
    const inB = await createUserId(b, "SAM");
    expect(await used(org)).to.equal(1);
    const renamed = await b.scim("PUT", `/Users/${inB}`, userBody("samantha"));
    expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);
    expect(await used(org), "two people now, the limit").to.equal(2);
    expect(await distinctPeople(a, b)).to.equal(2);
    await deactivate(a, inA);
    expect((await a.admin("POST", `/users/${inA}/erase`)).status).to.equal(200);
    expect(await used(org), "the erased user keeps a seat as deleted-<id>").to.equal(2);
    expect(await distinctPeople(a, b)).to.equal(2);
    expectScimError(await a.scim("POST", "/Users", userBody("sam")), 403);
  });

  it("refuses, like a create, a rename that would take a new seat of a full organization [create a shared person, then rename]", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(1, a, b);
    await createUserId(a, "ida");
    const shared = await createUserId(b, "IDA");
    expect(await used(org)).to.equal(1);
    const rename = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "userName", value: "ida.second" }] };
    expectScimError(await b.scim("PATCH", `/Users/${shared}`, rename), 403);
    expect((await b.scim("GET", `/Users/${shared}`)).body.userName).to.equal("IDA");
    expect(await used(org)).to.equal(1);
    // a rename within the same person (case only) takes no seat and goes through
    const recase = { ...rename, Operations: [{ op: "replace", path: "userName", value: "Ida" }] };
    expect((await b.scim("PATCH", `/Users/${shared}`, recase)).status).to.equal(200);
  });

  it("never goes over the limit with concurrent creates across two tenants [distinct and shared people]", async function () {
    this.timeout(120_000);
    for (let round = 0; round < 4; round++) {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const limit = 4;
      const org = await organizationOf(limit, a, b);
      await createUserId(a, "already.one");
      await createUserId(b, "already.two");
      // distinct people from both tenants, and a few that both tenants create at once
      const attempts = [
        ...Array.from({ length: 6 }, (_, i) => a.scim("POST", "/Users", userBody(`a.racer${round}.${i}`))),
        ...Array.from({ length: 6 }, (_, i) => b.scim("POST", "/Users", userBody(`b.racer${round}.${i}`))),
        ...Array.from({ length: 3 }, (_, i) => a.scim("POST", "/Users", userBody(`both${i}`))),
        ...Array.from({ length: 3 }, (_, i) => b.scim("POST", "/Users", userBody(`BOTH${i}`))),
      ];
      const results = await Promise.all(attempts);
      expect(results.map((r) => r.status).filter((s) => s !== 201 && s !== 403), "only 201 or 403").to.deep.equal([]);
      const seats = await used(org);
      const people = await distinctPeople(a, b);
      expect(seats, `round ${round}: used ≤ limit`).to.be.at.most(limit);
      expect(seats, `round ${round}: the seat count is the people there are`).to.equal(people);
      expect(people, `round ${round}: someone got the free seats`).to.be.at.least(3);
      const sum = (await a.admin("GET", "/seats")).body.used + (await b.admin("GET", "/seats")).body.used;
      expect(sum, "each 201 is one user").to.equal(2 + results.filter((r) => r.status === 201).length);
    }
  });

  it("frees the seat of a removal whose cascade was cut off once the sweep finishes it [crash after the commit]", async () => {
    const a = await freshTenant(server);
    const b = await freshTenant(server);
    const org = await organizationOf(3, a, b);
    const leaver = await createUserId(a, "ivy");
    const returner = await createUserId(a, "jon");
    await createUserId(b, "kim");
    const cutOff = { injectFault: () => { throw new Error("test: cut off after the commit"); }, reportCascade: () => undefined };
    expect((await withRuntime(cutOff, () => a.scim("DELETE", `/Users/${leaver}`))).status).to.equal(204);
    expect((await withRuntime(cutOff, () => a.scim("DELETE", `/Users/${returner}`))).status).to.equal(204);
    expect(await used(org), "the seats go with the cascade").to.equal(3);
    // jon is provisioned again before the sweep: the seat is the new user's now
    await createUserId(a, "Jon");
    await later(60_000, () => resumeAbandonedTransitions(pino({ level: "silent" })));
    expect(await used(org)).to.equal(2);
    expect(await distinctPeople(a, b)).to.equal(2);
  });

  it("counts every user created while the tenant is being attached or detached [race]", async function () {
    this.timeout(60_000);
    for (let round = 0; round < 3; round++) {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const org = await organizationOf(null, b);
      await createUserId(b, "in.b");
      for (let i = 0; i < 5; i++) await createUserId(a, `seeded${i}`);
      const creates = Array.from({ length: 8 }, (_, i) => a.scim("POST", "/Users", userBody(`during${round}.${i}`)));
      const attached = a.admin("PUT", "/organization", { organizationId: org });
      expect((await attached).status).to.equal(200);
      expect((await Promise.all(creates)).every((r) => r.status === 201)).to.equal(true);
      expect(await used(org), `round ${round}: attach`).to.equal(await distinctPeople(a, b));

      const more = Array.from({ length: 8 }, (_, i) => a.scim("POST", "/Users", userBody(`after${round}.${i}`)));
      const detached = a.admin("PUT", "/organization", { organizationId: null });
      expect((await detached).status).to.equal(200);
      expect((await Promise.all(more)).every((r) => r.status === 201)).to.equal(true);
      expect(await used(org), `round ${round}: detach`).to.equal(await distinctPeople(b));
    }
  });

  describe("seatEffect", () => {
    it("frees nothing on deactivation and names why", async () => {
      const a = await freshTenant(server);
      const org = await organizationOf(3, a);
      const id = await createUserId(a, "dee");
      const effect = await seatEffect(a.id, id, "deactivate");
      expect(effect).to.deep.include({ freed: false, tenant: { limit: null, used: 1, freed: false } });
      expect(effect.organization).to.deep.equal({ id: org, limit: 3, used: 1, freed: false, otherTenants: [] });
      expect(effect.reason).to.match(/keeps their seat/);
    });

    it("frees the tenant seat only, listing the other tenants, when the person is elsewhere in the organization; the outcome agrees", async () => {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const c = await freshTenant(server);
      const org = await organizationOf(null, a, b, c);
      const id = await createUserId(a, "Eve");
      await createUserId(b, "eve");
      await createUserId(c, "EVE");
      const effect = await seatEffect(a.id, id, "remove");
      expect(effect.freed).to.equal(true);
      expect(effect.tenant).to.deep.equal({ limit: null, used: 1, freed: true });
      expect(effect.organization).to.deep.equal({ id: org, limit: null, used: 1, freed: false, otherTenants: [b.id, c.id].sort() });
      expect(effect.reason).to.include(org).and.include(b.id).and.include(c.id);
      await remove(a, id);
      expect(await used(org)).to.equal(1);
    });

    it("names no tenant outside an administrator's scope in the plan's seat effect [issue #13: scope is not disclosed]", async () => {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const c = await freshTenant(server);
      await organizationOf(null, a, b, c);
      const id = await createUserId(a, "Hal");
      await createUserId(b, "hal");
      await createUserId(c, "HAL");
      const viewer = await admin(server, "POST", "/administrators", { name: "A and B only", role: "viewer", tenants: [a.id, b.id] });
      expect(viewer.status).to.equal(201);
      try {
        const plan = await admin(server, "GET", `/tenants/${a.id}/users/${id}/offboarding-plan?action=remove`, undefined, viewer.body.token);
        expect(plan.status).to.equal(200);
        expect(plan.body.seats.organization.otherTenants).to.have.members([b.id, HIDDEN_TENANT]);
        expect(JSON.stringify(plan.body)).not.to.include(c.id);
        const root = await admin(server, "GET", `/tenants/${a.id}/users/${id}/offboarding-plan?action=remove`);
        expect(root.body.seats.organization.otherTenants).to.have.members([b.id, c.id]);
      } finally {
        await admin(server, "DELETE", `/administrators/${viewer.body.id}`);
      }
    });

    it("frees the organization seat when no other tenant has the person; the outcome agrees", async () => {
      const a = await freshTenant(server);
      const b = await freshTenant(server);
      const org = await organizationOf(5, a, b);
      const id = await createUserId(a, "fay");
      await createUserId(b, "gus");
      const effect = await seatEffect(a.id, id, "remove");
      expect(effect.organization).to.deep.equal({ id: org, limit: 5, used: 2, freed: true, otherTenants: [] });
      expect(effect.reason).to.match(/frees their seat in tenant .* and in organization/);
      await remove(a, id);
      expect(await used(org)).to.equal(1);
    });

    it("has no organization part for a tenant without one, and is 404 for a removed user", async () => {
      const a = await freshTenant(server);
      const id = await createUserId(a, "hal");
      const effect = await seatEffect(a.id, id, "remove");
      expect(effect).to.deep.equal({ freed: true, reason: `Removal frees their seat in tenant ${a.id}.`, tenant: { limit: null, used: 1, freed: true }, organization: null });
      await remove(a, id);
      const error = await seatEffect(a.id, id, "remove").then(() => null, (caught: unknown) => caught);
      expect(error).to.be.instanceOf(RosterError);
      expect((error as RosterError).status).to.equal(404);
    });
  });
});
