import { expect } from "chai";
import { decideAccess } from "../../src/domain/access-decision";

const MESSAGE = "Your account has been deactivated. If you believe this is in error please contact us";

describe("decideAccess", () => {
  it("allows an active user", () => {
    expect(decideAccess({ active: true, removed: false })).to.deep.equal({ allowed: true });
  });

  it("refuses a deactivated user with the deactivation message", () => {
    expect(decideAccess({ active: false, removed: false })).to.deep.equal({ allowed: false, reason: MESSAGE });
  });

  it("refuses a removed user with the same message [removed]", () => {
    expect(decideAccess({ active: true, removed: true })).to.deep.equal({ allowed: false, reason: MESSAGE });
  });
});
