import { expect } from "chai";
import { pickSuccessor } from "../../src/domain/pick-successor";
import { offboarding, userFacts } from "./offboarding-fixtures";

describe("pickSuccessor", () => {
  describe("manager-then-owner", () => {
    it("picks the leaver's own manager when active [manager-then-owner]", () => {
      expect(pickSuccessor(offboarding())).to.deep.equal({ kind: "successor", id: "M" });
    });

    it("picks the owner when the leaver's manager is deactivated [manager-then-owner]", () => {
      const input = offboarding({ leaverManager: userFacts("M", { active: false }) });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "successor", id: "O" });
    });

    it("picks the owner when the leaver's manager is removed [manager-then-owner]", () => {
      const input = offboarding({ leaverManager: userFacts("M", { removed: true }) });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "successor", id: "O" });
    });

    it("picks the owner when the leaver has no manager [manager-then-owner]", () => {
      expect(pickSuccessor(offboarding({ leaverManager: null }))).to.deep.equal({ kind: "successor", id: "O" });
    });

    it("never picks the leaver as its own successor [manager is the leaver]", () => {
      const input = offboarding({ leaverManager: userFacts("L") });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "successor", id: "O" });
    });

    it("picks nobody when neither an active manager nor an active owner exists [manager-then-owner]", () => {
      expect(pickSuccessor(offboarding({ leaverManager: null, owner: null }))).to.deep.equal({ kind: "none" });
      const inactive = offboarding({ leaverManager: userFacts("M", { active: false }), owner: userFacts("O", { active: false }) });
      expect(pickSuccessor(inactive)).to.deep.equal({ kind: "none" });
    });
  });

  describe("owner", () => {
    it("ignores the leaver's manager and picks the owner [owner]", () => {
      const input = offboarding({ policy: { reassignReportsTo: "owner" } });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "successor", id: "O" });
    });

    it("picks nobody when there is no owner, even with an active manager [owner]", () => {
      const input = offboarding({ policy: { reassignReportsTo: "owner" }, owner: null });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "none" });
    });

    it("picks nobody when the owner is deactivated [owner]", () => {
      const input = offboarding({ policy: { reassignReportsTo: "owner" }, owner: userFacts("O", { active: false }) });
      expect(pickSuccessor(input)).to.deep.equal({ kind: "none" });
    });
  });

  describe("block", () => {
    it("picks nobody: a leader is refused before a successor is looked for [block]", () => {
      expect(pickSuccessor(offboarding({ policy: { reassignReportsTo: "block" }, reportIds: [], groupIdsLed: [] }))).to.deep.equal({ kind: "none" });
    });
  });
});
