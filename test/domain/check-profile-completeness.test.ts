import { expect } from "chai";
import { checkProfileCompleteness } from "../../src/domain/check-profile-completeness";
import { DEFAULT_POLICY, ENTERPRISE_USER } from "../../src/domain/types";

describe("checkProfileCompleteness", () => {
  const policy = {
    ...DEFAULT_POLICY,
    requiredProfileFields: ["name.givenName", "emails", `${ENTERPRISE_USER}:department`],
  };

  it("refuses with 400 invalidValue naming every missing path in policy order", () => {
    const refusal = checkProfileCompleteness({ name: { familyName: "Lee" } }, policy);
    expect(refusal).to.deep.equal({
      status: 400,
      scimType: "invalidValue",
      reason: "incompleteProfile",
      detail: `Profile is incomplete; required fields missing: name.givenName, emails, ${ENTERPRISE_USER}:department`,
      missing: ["name.givenName", "emails", `${ENTERPRISE_USER}:department`],
    });
  });

  it("accepts a complete profile", () => {
    const user = { name: { givenName: "Ann" }, emails: [{ value: "a@x.com" }], [ENTERPRISE_USER]: { department: "Ops" } };
    expect(checkProfileCompleteness(user, policy)).to.equal(null);
  });

  it("accepts any profile when no field is required [default policy]", () => {
    expect(checkProfileCompleteness({}, DEFAULT_POLICY)).to.equal(null);
  });
});
