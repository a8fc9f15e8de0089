import { expect } from "chai";
import { checkOwnerCandidate } from "../../src/domain/check-owner-candidate";
import { userFacts } from "./offboarding-fixtures";

describe("checkOwnerCandidate", () => {
  it("accepts an active user", () => {
    expect(checkOwnerCandidate(userFacts("u1"))).to.equal(null);
  });

  it("refuses an unknown user with 400 invalidValue", () => {
    expect(checkOwnerCandidate(null)).to.include({ status: 400, scimType: "invalidValue", reason: "ownerInactive" });
  });

  it("refuses a deactivated user with 400 invalidValue", () => {
    const refusal = checkOwnerCandidate(userFacts("u1", { active: false }));
    expect(refusal).to.include({ status: 400, scimType: "invalidValue" });
    expect(refusal?.detail).to.contain("u1");
  });

  it("refuses a removed user [still flagged active]", () => {
    expect(checkOwnerCandidate(userFacts("u1", { removed: true }))?.status).to.equal(400);
  });
});
