import { expect } from "chai";
import { planDeactivation, planOffboarding, planRemoval } from "../../src/domain/plan-offboarding";
import type { Effect, OffboardingChoices, Plan, Refusal } from "../../src/domain/types";
import { offboarding, userFacts } from "./offboarding-fixtures";

function effectsOf(plan: Plan): Effect[] {
  if (!plan.ok) throw new Error(`expected a plan, got refusal ${plan.refusal.reason}`);
  return plan.effects;
}

function refusalOf(plan: Plan): Refusal {
  if (plan.ok) throw new Error("expected a refusal");
  return plan.refusal;
}

describe("planDeactivation", () => {
  it("reassigns reports and groups to the leaver's manager and revokes access [manager-then-owner]", () => {
    const plan = planDeactivation(offboarding());
    expect(plan).to.deep.equal({
      ok: true,
      successorId: "M",
      effects: [
        { kind: "revokeSessions", userId: "L" },
        { kind: "revokeApiKeys", userId: "L" },
        { kind: "reassignReport", reportId: "R1", from: "L", to: "M" },
        { kind: "reassignReport", reportId: "R2", from: "L", to: "M" },
        { kind: "reassignGroupLeader", groupId: "G1", from: "L", to: "M" },
      ],
    });
  });

  it("reassigns reports to the owner when the leaver's manager is deactivated [manager-then-owner]", () => {
    const effects = effectsOf(planDeactivation(offboarding({ leaverManager: userFacts("M", { active: false }) })));
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "R1", from: "L", to: "O" });
    expect(effects).to.deep.include({ kind: "reassignGroupLeader", groupId: "G1", from: "L", to: "O" });
  });

  it("reassigns to the owner and ignores the manager [owner]", () => {
    const plan = planDeactivation(offboarding({ policy: { reassignReportsTo: "owner" } }));
    expect(plan.ok && plan.successorId).to.equal("O");
    expect(effectsOf(plan)).to.deep.include({ kind: "reassignReport", reportId: "R2", from: "L", to: "O" });
  });

  it("clears the reports' manager and the groups' leader when there is no successor [no owner]", () => {
    const plan = planDeactivation(offboarding({ leaverManager: null, owner: null }));
    expect(plan.ok && plan.successorId).to.equal(null);
    const effects = effectsOf(plan);
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "R1", from: "L", to: null });
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "R2", from: "L", to: null });
    expect(effects).to.deep.include({ kind: "reassignGroupLeader", groupId: "G1", from: "L", to: null });
  });

  it("clears the manager of a report who is the successor rather than making them their own manager [owner reports to leaver]", () => {
    const input = offboarding({ policy: { reassignReportsTo: "owner" }, reportIds: ["O", "R1"] });
    const effects = effectsOf(planDeactivation(input));
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "O", from: "L", to: null });
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "R1", from: "L", to: "O" });
    expect(effects).to.deep.include({ kind: "reassignGroupLeader", groupId: "G1", from: "L", to: "O" });
  });

  it("leaves the leaver's own manager link alone when listed among its reports [self-managed]", () => {
    const effects = effectsOf(planDeactivation(offboarding({ reportIds: ["L", "R1"], groupIdsLed: [] })));
    expect(effects.filter((effect) => effect.kind === "reassignReport")).to.deep.equal([
      { kind: "reassignReport", reportId: "R1", from: "L", to: "M" },
    ]);
  });

  it("refuses the tenant owner with 400 invalidValue [owner guard]", () => {
    const refusal = refusalOf(planDeactivation(offboarding({ owner: userFacts("L") })));
    expect(refusal).to.include({ status: 400, scimType: "invalidValue", reason: "ownerGuard" });
    expect(refusal.detail).to.contain("transfer ownership first");
  });

  it("applies the owner guard before the bulk and block rules [owner guard beats everything]", () => {
    const input = offboarding({
      owner: userFacts("L"),
      policy: { reassignReportsTo: "block" },
      initiator: { actor: "token-1", bulk: true, leaveDate: false },
    });
    expect(refusalOf(planDeactivation(input)).reason).to.equal("ownerGuard");
  });

  it("refuses a team leader inside a bulk request with 409 even when the policy reassigns [owner]", () => {
    const input = offboarding({ policy: { reassignReportsTo: "owner" }, initiator: { actor: "t", bulk: true, leaveDate: false } });
    const refusal = refusalOf(planDeactivation(input));
    expect(refusal).to.include({ status: 409, reason: "leaderInBulk" });
    expect(refusal.detail).to.contain("bulk");
  });

  it("refuses a user leading only groups inside a bulk request [groups only]", () => {
    const input = offboarding({ reportIds: [], initiator: { actor: "t", bulk: true, leaveDate: false } });
    expect(refusalOf(planDeactivation(input)).reason).to.equal("leaderInBulk");
  });

  it("deactivates a user who leads nobody inside a bulk request [bulk]", () => {
    const input = offboarding({ reportIds: [], groupIdsLed: [], initiator: { actor: "t", bulk: true, leaveDate: false } });
    expect(planDeactivation(input).ok).to.equal(true);
  });

  it("prefers the bulk refusal to the block refusal [bulk and block]", () => {
    const input = offboarding({ policy: { reassignReportsTo: "block" }, initiator: { actor: "t", bulk: true, leaveDate: false } });
    expect(refusalOf(planDeactivation(input)).reason).to.equal("leaderInBulk");
  });

  it("refuses a team leader with 409 listing every report and group [block]", () => {
    const input = offboarding({ policy: { reassignReportsTo: "block" }, reportIds: ["R1", "R2"], groupIdsLed: ["G1", "G2"] });
    const refusal = refusalOf(planDeactivation(input));
    expect(refusal).to.include({ status: 409, reason: "leaderBlocked" });
    for (const id of ["R1", "R2", "G1", "G2"]) expect(refusal.detail).to.contain(id);
  });

  it("deactivates a user who leads nobody [block]", () => {
    const plan = planDeactivation(offboarding({ policy: { reassignReportsTo: "block" }, reportIds: [], groupIdsLed: [] }));
    expect(effectsOf(plan)).to.deep.equal([
      { kind: "revokeSessions", userId: "L" },
      { kind: "revokeApiKeys", userId: "L" },
    ]);
  });

  it("applies the same guards to a leave-date deactivation [leave date]", () => {
    const initiator = { actor: "system:leave-date", bulk: false, leaveDate: true };
    expect(refusalOf(planDeactivation(offboarding({ initiator, owner: userFacts("L") }))).reason).to.equal("ownerGuard");
    expect(refusalOf(planDeactivation(offboarding({ initiator, policy: { reassignReportsTo: "block" } }))).reason).to.equal(
      "leaderBlocked",
    );
  });

  it("keeps API keys when policy revokeApiKeys is false", () => {
    const effects = effectsOf(planDeactivation(offboarding({ policy: { revokeApiKeys: false } })));
    expect(effects).to.deep.include({ kind: "revokeSessions", userId: "L" });
    expect(effects.some((effect) => effect.kind === "revokeApiKeys")).to.equal(false);
  });

  it("keeps group memberships by default [keep]", () => {
    const effects = effectsOf(planDeactivation(offboarding()));
    expect(effects.some((effect) => effect.kind === "dropMemberships")).to.equal(false);
  });

  it("drops group memberships when the policy says so [remove]", () => {
    const effects = effectsOf(planDeactivation(offboarding({ policy: { groupMembershipsOnDeactivate: "remove" } })));
    expect(effects).to.deep.include({ kind: "dropMemberships", userId: "L" });
  });
});

describe("planRemoval", () => {
  it("drops group memberships even when the policy keeps them on deactivation [keep]", () => {
    const effects = effectsOf(planRemoval(offboarding({ policy: { groupMembershipsOnDeactivate: "keep" } })));
    expect(effects).to.deep.include({ kind: "dropMemberships", userId: "L" });
    expect(effects).to.deep.include({ kind: "revokeSessions", userId: "L" });
    expect(effects).to.deep.include({ kind: "reassignReport", reportId: "R1", from: "L", to: "M" });
  });

  it("removes an already deactivated user, reassigning what it still leads [deactivated leaver]", () => {
    const input = offboarding({ leaver: userFacts("L", { active: false }), reportIds: ["R1"], groupIdsLed: [] });
    expect(effectsOf(planRemoval(input))).to.deep.equal([
      { kind: "revokeSessions", userId: "L" },
      { kind: "revokeApiKeys", userId: "L" },
      { kind: "reassignReport", reportId: "R1", from: "L", to: "M" },
      { kind: "dropMemberships", userId: "L" },
    ]);
  });

  it("refuses to remove the tenant owner [owner guard]", () => {
    const refusal = refusalOf(planRemoval(offboarding({ owner: userFacts("L") })));
    expect(refusal).to.include({ status: 400, scimType: "invalidValue", reason: "ownerGuard" });
    expect(refusal.detail).to.contain("transfer ownership first");
  });

  it("refuses to remove a team leader [block]", () => {
    expect(refusalOf(planRemoval(offboarding({ policy: { reassignReportsTo: "block" } }))).reason).to.equal("leaderBlocked");
  });

  it("refuses to remove a team leader inside a bulk request [bulk]", () => {
    const input = offboarding({ initiator: { actor: "t", bulk: true, leaveDate: false } });
    expect(refusalOf(planRemoval(input)).reason).to.equal("leaderInBulk");
  });

  it("keeps API keys when policy revokeApiKeys is false [removal]", () => {
    const effects = effectsOf(planRemoval(offboarding({ policy: { revokeApiKeys: false } })));
    expect(effects.some((effect) => effect.kind === "revokeApiKeys")).to.equal(false);
  });
});

describe("planOffboarding [an administrator's choices]", () => {
  const choices = (more: Partial<OffboardingChoices> = {}): OffboardingChoices => ({ ...more });

  it("gives everything to a chosen successor instead of the policy's [successor]", () => {
    const plan = planOffboarding(offboarding({ choices: choices({ successor: "S" }) }), "deactivation");
    expect(plan.refusals).to.deep.equal([]);
    expect(plan.successor).to.deep.equal({ id: "S", source: "chosen" });
    expect(plan.reports).to.deep.equal([
      { id: "R1", to: "S", chosen: true },
      { id: "R2", to: "S", chosen: true },
    ]);
    expect(plan.groups).to.deep.equal([{ id: "G1", to: "S", chosen: true }]);
  });

  it("lets a per-report or per-group lead win and the policy take the rest [reassign]", () => {
    const plan = planOffboarding(offboarding({ choices: choices({ reports: new Map([["R2", "X"]]), groups: new Map([["G1", "Y"]]) }) }), "removal");
    expect(plan.successor).to.deep.equal({ id: "M", source: "manager" });
    expect(plan.reports).to.deep.equal([
      { id: "R1", to: "M", chosen: false },
      { id: "R2", to: "X", chosen: true },
    ]);
    expect(plan.effects).to.deep.include({ kind: "reassignGroupLeader", groupId: "G1", from: "L", to: "Y" });
    expect(plan.effects).to.deep.include({ kind: "dropMemberships", userId: "L" });
  });

  it("overrides the policy's revokeApiKeys both ways [revokeApiKeys]", () => {
    const kept = planOffboarding(offboarding({ choices: choices({ revokeApiKeys: false }) }), "deactivation");
    expect(kept.revokeApiKeys).to.equal(false);
    expect(kept.effects.map((e) => e.kind)).to.not.include("revokeApiKeys");
    const revoked = planOffboarding(offboarding({ policy: { revokeApiKeys: false }, choices: choices({ revokeApiKeys: true }) }), "deactivation");
    expect(revoked.effects.map((e) => e.kind)).to.include("revokeApiKeys");
  });

  it("offboards a blocked leader only once every report and group has a lead [block]", () => {
    const policy = { reassignReportsTo: "block" as const };
    const partial = planOffboarding(offboarding({ policy, choices: choices({ reports: new Map([["R1", "X"]]) }) }), "deactivation");
    expect(partial.refusals.map((r) => r.reason)).to.deep.equal(["leaderBlocked"]);
    expect(partial.refusals[0].pending).to.deep.equal({ reports: ["R2"], groups: ["G1"] });
    const covered = planOffboarding(offboarding({ policy, choices: choices({ reports: new Map([["R1", "X"], ["R2", "X"]]), groups: new Map([["G1", "Y"]]) }) }), "deactivation");
    expect(covered.refusals).to.deep.equal([]);
    expect(covered.successor).to.equal(null);
    expect(planOffboarding(offboarding({ policy, choices: choices({ successor: "S" }) }), "removal").refusals).to.deep.equal([]);
  });

  it("keeps the owner guard whatever the choices, and lists every refusal in order [owner guard, bulk, block]", () => {
    const input = offboarding({ owner: userFacts("L"), policy: { reassignReportsTo: "block" }, initiator: { actor: "t", bulk: true, leaveDate: false } });
    expect(planOffboarding(input, "deactivation").refusals.map((r) => r.reason)).to.deep.equal(["ownerGuard", "leaderInBulk", "leaderBlocked"]);
    expect(planOffboarding({ ...input, initiator: { ...input.initiator, bulk: false }, choices: choices({ successor: "S" }) }, "deactivation").refusals.map((r) => r.reason)).to.deep.equal(["ownerGuard"]);
  });

  it("names the bulk refusal a leader would meet even outside /Bulk, and none for a user who leads nobody [inBulk]", () => {
    expect(planOffboarding(offboarding(), "deactivation").inBulk).to.include({ status: 409, reason: "leaderInBulk" });
    expect(planOffboarding(offboarding(), "deactivation").refusals).to.deep.equal([]);
    expect(planOffboarding(offboarding({ reportIds: [], groupIdsLed: [] }), "deactivation").inBulk).to.equal(null);
  });

  it("says where the policy's successor comes from [source]", () => {
    expect(planOffboarding(offboarding({ leaverManager: null }), "deactivation").successor).to.deep.equal({ id: "O", source: "owner" });
    expect(planOffboarding(offboarding({ policy: { reassignReportsTo: "owner" } }), "deactivation").successor).to.deep.equal({ id: "O", source: "owner" });
  });
});
