import { expect } from "chai";
import { checkOffboardingChoices, type ChoiceFacts } from "../../src/domain/check-offboarding-choices";
import { userFacts } from "./offboarding-fixtures";

const facts = (leads: Record<string, ReturnType<typeof userFacts> | null>): ChoiceFacts => ({
  leaverId: "L",
  reportIds: ["R1", "R2", "L"],
  groupIdsLed: ["G1"],
  leads: new Map(Object.entries(leads)),
});

describe("checkOffboardingChoices", () => {
  it("accepts active leads of the tenant for reports and groups led", () => {
    const choices = { successor: "S", reports: new Map([["R1", "R2"]]), groups: new Map([["G1", "R1"]]) };
    expect(checkOffboardingChoices(choices, facts({ S: userFacts("S"), R2: userFacts("R2"), R1: userFacts("R1") }))).to.deep.equal([]);
  });

  it("names each bad lead: unknown, removed, deactivated, the leaver, a report leading itself", () => {
    const choices = { successor: "gone", reports: new Map([["R1", "L"], ["R2", "R2"]]), groups: new Map([["G1", "off"]]) };
    const errors = checkOffboardingChoices(choices, facts({ gone: userFacts("gone", { removed: true }), L: userFacts("L"), R2: userFacts("R2"), off: userFacts("off", { active: false }) }));
    expect(errors).to.deep.equal([
      { path: "/successor", message: "user gone is not a user of this tenant" },
      { path: "/reassign/reports/R1", message: "user L is the user being offboarded" },
      { path: "/reassign/reports/R2", message: "user R2 cannot be their own manager" },
      { path: "/reassign/groups/G1", message: "user off is deactivated: the lead must be an active user" },
    ]);
  });

  it("names each key that is not a report or a group led, the leader itself included", () => {
    const choices = { reports: new Map([["X", "S"], ["L", "S"], ["a/b~c", "S"]]), groups: new Map([["G2", "S"]]) };
    const errors = checkOffboardingChoices(choices, facts({ S: userFacts("S") }));
    expect(errors.map((e) => e.path)).to.deep.equal(["/reassign/reports/X", "/reassign/reports/L", "/reassign/reports/a~1b~0c", "/reassign/groups/G2"]);
  });

  it("treats a lead not found as not a user, whatever its id [__proto__]", () => {
    expect(checkOffboardingChoices({ successor: "__proto__" }, facts({}))).to.deep.equal([{ path: "/successor", message: "user __proto__ is not a user of this tenant" }]);
  });
});
