import { expect } from "chai";
import { classifyTransition } from "../../src/domain/classify-transition";

describe("classifyTransition", () => {
  it("classifies active true to false as a deactivation", () => {
    expect(classifyTransition({ active: true }, { active: false })).to.equal("deactivate");
  });

  it("classifies active false to true as a reactivation", () => {
    expect(classifyTransition({ active: false }, { active: true })).to.equal("reactivate");
  });

  it("returns null when active does not change [both states]", () => {
    expect(classifyTransition({ active: true }, { active: true })).to.equal(null);
    expect(classifyTransition({ active: false }, { active: false })).to.equal(null);
  });
});
