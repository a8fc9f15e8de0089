import { expect } from "chai";
import { planErasure } from "../../src/domain/plan-erasure";
import { ENTERPRISE_USER, ROSTER_USER } from "../../src/domain/types";

describe("planErasure", () => {
  const user = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER],
    id: "u1",
    externalId: "okta-00u1",
    userName: "ann.lee@x.com",
    displayName: "Ann Lee",
    nickName: "Annie",
    title: "Head of Ops",
    active: false,
    name: { givenName: "Ann", familyName: "Lee", formatted: "Ann Lee" },
    emails: [
      { value: "ann.lee@x.com", type: "work", primary: true },
      { value: "ann@home.org", type: "home" },
    ],
    phoneNumbers: [{ value: "+44 20 7946 0000", type: "work" }],
    photos: [{ value: "https://x.com/ann.png", type: "photo" }],
    addresses: [{ streetAddress: "1 Main St", locality: "Leeds", type: "home" }],
    [ENTERPRISE_USER]: { department: "Ops", manager: { value: "m1" } },
    [ROSTER_USER]: { leaveDate: "2024-01-01T00:00:00.000Z" },
  };

  it("wipes personal attributes and replaces userName and displayName", () => {
    const { erased } = planErasure(user, "u1");
    for (const name of ["name", "emails", "phoneNumbers", "photos", "addresses", "nickName", "title"]) {
      expect(erased).not.to.have.property(name);
    }
    expect(erased.userName).to.equal("deleted-u1");
    expect(erased.displayName).to.equal("(deleted user)");
  });

  it("also wipes other contact data [ims, profileUrl, x509Certificates]", () => {
    const extra = { ...user, ims: [{ value: "ann.lee", type: "skype" }], profileUrl: "https://x.com/~ann", x509Certificates: [{ value: "MIIC" }] };
    const { erased, personalValues } = planErasure(extra, "u1");
    expect(erased).not.to.have.any.keys("ims", "profileUrl", "x509Certificates");
    expect(personalValues).to.include.members(["ann.lee", "https://x.com/~ann", "MIIC"]);
  });

  it("keeps id, externalId, active and extension attributes", () => {
    const { erased } = planErasure(user, "u1");
    expect(erased).to.include({ id: "u1", externalId: "okta-00u1", active: false });
    expect(erased[ENTERPRISE_USER]).to.deep.equal({ department: "Ops", manager: { value: "m1" } });
    expect(erased[ROSTER_USER]).to.deep.equal({ leaveDate: "2024-01-01T00:00:00.000Z" });
  });

  it("lists every former personal value once, without type labels", () => {
    const { personalValues } = planErasure(user, "u1");
    expect(personalValues).to.have.members([
      "ann.lee@x.com",
      "Ann Lee",
      "Annie",
      "Head of Ops",
      "Ann",
      "Lee",
      "ann@home.org",
      "+44 20 7946 0000",
      "https://x.com/ann.png",
      "1 Main St",
      "Leeds",
    ]);
    expect(personalValues).not.to.include("work");
  });

  it("skips empty values and duplicates that differ only in case", () => {
    const { personalValues } = planErasure({ userName: "Ann", displayName: "ann", nickName: "  ", title: "" }, "u2");
    expect(personalValues).to.deep.equal(["Ann"]);
  });

  it("does not list the placeholders of an earlier erasure [erased twice]", () => {
    const first = planErasure(user, "u1").erased;
    expect(planErasure(first, "u1").personalValues).to.deep.equal([]);
  });

  it("does not modify the input", () => {
    const copy = structuredClone(user);
    planErasure(user, "u1");
    expect(user).to.deep.equal(copy);
  });
});
