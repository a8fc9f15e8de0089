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

  it("refuses a lead below the report in the reporting line: no manager cycle [two reports as each other's lead, a report of a report as successor]", () => {
    const mutual = { reports: new Map([["R1", "R2"], ["R2", "R1"]]) };
    const both = checkOffboardingChoices(mutual, facts({ R1: userFacts("R1"), R2: userFacts("R2") }));
    expect(both.map((error) => error.path)).to.have.members(["/reassign/reports/R1", "/reassign/reports/R2"]);
    expect(both[0].message).to.include("manager cycle");
    // X reports to R1: as everyone's successor X would manage R1, who manages X
    const below = checkOffboardingChoices({ successor: "X" }, { ...facts({ X: userFacts("X", { managerId: "R1" }) }), managers: new Map([["X", "R1"]]) });
    expect(below).to.deep.equal([{ path: "/successor", message: "user X is below user R1 in the reporting line: leading them would make a manager cycle" }]);
    // one report leading the other is fine when the other goes elsewhere; a successor who is a report is not their own manager
    expect(checkOffboardingChoices({ successor: "R2", reports: new Map([["R1", "R2"]]) }, facts({ R2: userFacts("R2") }))).to.deep.equal([]);
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
