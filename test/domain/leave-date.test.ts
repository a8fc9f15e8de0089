import { expect } from "chai";
import { isLeaveDue, shouldClearLeaveDateOnReactivation } from "../../src/domain/leave-date";

describe("isLeaveDue", () => {
  const now = new Date("2025-06-01T12:00:00.000Z");

  it("is due once the leave date has passed", () => {
    expect(isLeaveDue(new Date("2025-06-01T11:59:59.999Z"), now)).to.equal(true);
  });

  it("is due at the leave date itself [same millisecond]", () => {
    expect(isLeaveDue(new Date(now.getTime()), now)).to.equal(true);
  });

  it("is not due before the leave date", () => {
    expect(isLeaveDue(new Date("2025-06-01T12:00:00.001Z"), now)).to.equal(false);
  });

  it("is not due without a leave date [null, undefined, invalid]", () => {
    expect(isLeaveDue(null, now)).to.equal(false);
    expect(isLeaveDue(undefined, now)).to.equal(false);
    expect(isLeaveDue(new Date("nonsense"), now)).to.equal(false);
  });

  it("reads ISO 8601 strings [SCIM JSON]", () => {
    expect(isLeaveDue("2025-05-31T00:00:00Z", now)).to.equal(true);
    expect(isLeaveDue("2025-07-01T00:00:00Z", now)).to.equal(false);
  });
});

describe("shouldClearLeaveDateOnReactivation", () => {
  const now = new Date("2025-06-01T12:00:00.000Z");

  it("clears a leave date that has passed", () => {
    expect(shouldClearLeaveDateOnReactivation(new Date("2025-05-01T00:00:00Z"), now)).to.equal(true);
  });

  it("keeps a future leave date", () => {
    expect(shouldClearLeaveDateOnReactivation(new Date("2025-07-01T00:00:00Z"), now)).to.equal(false);
  });

  it("has nothing to clear without a leave date", () => {
    expect(shouldClearLeaveDateOnReactivation(null, now)).to.equal(false);
  });
});
