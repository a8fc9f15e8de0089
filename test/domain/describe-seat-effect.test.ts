import { expect } from "chai";
import { checkOrganizationSeatAvailable, seatPerson } from "../../src/domain/check-seat";
import { HIDDEN_TENANT, describeSeatEffect } from "../../src/domain/describe-seat-effect";

describe("describeSeatEffect", () => {
  it("frees nothing on deactivation [with and without an organization]", () => {
    for (const organization of [null, { id: "acme", otherTenants: [] }, { id: "acme", otherTenants: ["us"] }]) {
      const effect = describeSeatEffect("deactivate", "eu", organization);
      expect(effect).to.include({ tenantFreed: false, organizationFreed: false });
      expect(effect.reason).to.match(/keeps their seat/);
    }
  });

  it("frees the tenant seat on removal in a tenant without organization", () => {
    expect(describeSeatEffect("remove", "eu", null)).to.deep.equal({ tenantFreed: true, organizationFreed: false, reason: "Removal frees their seat in tenant eu." });
  });

  it("frees the organization seat only when no other tenant has the person", () => {
    expect(describeSeatEffect("remove", "eu", { id: "acme", otherTenants: [] })).to.include({ tenantFreed: true, organizationFreed: true });
    const kept = describeSeatEffect("remove", "eu", { id: "acme", otherTenants: ["us"] });
    expect(kept).to.deep.equal({ tenantFreed: true, organizationFreed: false, reason: "Removal frees their seat in tenant eu but not in organization acme: they are still in tenant us." });
    expect(describeSeatEffect("remove", "eu", { id: "acme", otherTenants: ["apac", "us"] }).reason).to.include("tenant apac, tenant us");
    expect(describeSeatEffect("remove", "eu", { id: "acme", otherTenants: [HIDDEN_TENANT] }).reason).to.equal(`Removal frees their seat in tenant eu but not in organization acme: they are still in ${HIDDEN_TENANT}.`);
  });

  it("throws for an action it does not know [never]", () => {
    expect(() => describeSeatEffect("erase" as never, "eu", null)).to.throw(TypeError);
  });
});

describe("checkOrganizationSeatAvailable", () => {
  it("counts the new person already: refuses only above the limit", () => {
    expect(checkOrganizationSeatAvailable("acme", 3, 3)).to.equal(null);
    expect(checkOrganizationSeatAvailable("acme", 4, 3)).to.deep.equal({ status: 403, reason: "noSeat", detail: "No seat is left in organization acme: seatLimit 3 reached" });
    expect(checkOrganizationSeatAvailable("acme", 1, 0)?.status).to.equal(403);
    expect(checkOrganizationSeatAvailable("acme", 1_000_000, null)).to.equal(null);
  });
});

describe("seatPerson", () => {
  it("is the lowercase userName key of a live user and nobody for a removed one", () => {
    expect(seatPerson({ userNameKey: "ann.lee", deletedAt: null })).to.equal("ann.lee");
    expect(seatPerson({ userNameKey: "ann.lee" })).to.equal("ann.lee");
    expect(seatPerson({ userNameKey: "\u0000removed:1", deletedAt: new Date() })).to.equal(null);
  });
});
