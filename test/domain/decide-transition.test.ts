import { expect } from "chai";
import { LEAVE_DATE_ACTOR, decideTransition, offboardingKind, previewOffboarding, type TransitionDecision, type TransitionRequest } from "../../src/domain/decide-transition";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/types";
import { userFacts } from "./offboarding-fixtures";

const NOW = new Date("2026-06-01T12:00:00Z");
const PAST = new Date("2026-05-01T00:00:00Z");
const FUTURE = new Date("2026-07-01T00:00:00Z");
const COMPLETE = { userName: "l", name: { givenName: "Lee", familyName: "Leaver" } };
const FACTS = { reportIds: ["R1"], groupIdsLed: ["G1"], owner: userFacts("O"), leaverManager: userFacts("M") };

/** Leader L (one report, one group) deactivated by token-1, unless overridden. */
function request(overrides: Partial<Omit<TransitionRequest, "policy">> & { policy?: Partial<Policy> } = {}): TransitionRequest {
  const { policy, ...rest } = overrides;
  return {
    kind: "update",
    current: { ...userFacts("L", { managerId: "M" }), leaveDateRefusedFor: null },
    after: COMPLETE,
    afterActive: false,
    afterLeaveDate: undefined,
    initiator: { actor: "token-1", bulk: false, leaveDate: false },
    now: NOW,
    facts: FACTS,
    ...rest,
    policy: { ...DEFAULT_POLICY, ...policy },
  };
}

/** `<kind> refused: <reason>`, the kind being the transition refused (it labels /metrics' transition counter). */
function refusalReason(decision: TransitionDecision): string {
  if (decision.outcome !== "refused") throw new Error(`expected a refusal, got ${decision.outcome}`);
  return `${decision.kind} refused: ${decision.refusal.reason}`;
}

describe("decideTransition", () => {
  it("deactivates a leader with the cascade to the leaver's manager [request]", () => {
    const decision = decideTransition(request());
    expect(decision).to.deep.include({ outcome: "transition", kind: "deactivate", actor: "token-1", successorId: "M" });
    if (decision.outcome !== "transition") throw new Error("expected a transition");
    expect(decision.effects).to.deep.include({ kind: "reassignReport", reportId: "R1", from: "L", to: "M" });
    expect(decision.changes).to.deep.equal({ active: false, clearLeaveDate: false, leaveDateRefusal: null });
  });

  it("refuses a deactivation whose after-image lacks a required field, before any guard [completeness]", () => {
    const decision = decideTransition(request({ after: { userName: "l" }, policy: { requiredProfileFields: ["name.givenName"] }, current: userFacts("L") }));
    expect(refusalReason(decision)).to.equal("deactivate refused: incompleteProfile");
  });

  it("counts values of the after-image in the completeness check [completeness]", () => {
    expect(decideTransition(request({ policy: { requiredProfileFields: ["name.givenName"] } })).outcome).to.equal("transition");
  });

  it("refuses a reactivation of an incomplete profile [completeness on reactivate]", () => {
    const decision = decideTransition(request({ current: userFacts("L", { active: false }), afterActive: true, after: { userName: "l" }, policy: { requiredProfileFields: ["name.familyName"] } }));
    expect(refusalReason(decision)).to.equal("reactivate refused: incompleteProfile");
  });

  it("does not check completeness on removal [remove]", () => {
    const decision = decideTransition(request({ kind: "remove", after: { userName: "l" }, policy: { requiredProfileFields: ["name.givenName"] } }));
    expect(decision).to.deep.include({ outcome: "transition", kind: "remove" });
  });

  it("refuses removing the owner and a leader under block [remove guards]", () => {
    expect(refusalReason(decideTransition(request({ kind: "remove", facts: { ...FACTS, owner: userFacts("L") } })))).to.equal("remove refused: ownerGuard");
    expect(refusalReason(decideTransition(request({ kind: "remove", policy: { reassignReportsTo: "block" } })))).to.equal("remove refused: leaderBlocked");
  });

  it("refuses a leader inside a bulk request [bulk]", () => {
    expect(refusalReason(decideTransition(request({ initiator: { actor: "token-1", bulk: true, leaveDate: false } })))).to.equal("deactivate refused: leaderInBulk");
  });

  it("deactivates at once, as system:leave-date and without the completeness check, when the leave date has passed [leave date]", () => {
    const decision = decideTransition(request({ afterActive: true, afterLeaveDate: PAST, after: { userName: "l" }, policy: { requiredProfileFields: ["name.givenName"] } }));
    expect(decision).to.deep.include({ outcome: "transition", kind: "deactivate", actor: LEAVE_DATE_ACTOR });
    if (decision.outcome !== "transition") throw new Error("expected a transition");
    expect(decision.changes.active).to.equal(false);
  });

  it("keeps a refused leave-date user active and records the refusal once per leave date [leave date refused]", () => {
    const refused = decideTransition(request({ afterActive: true, afterLeaveDate: PAST, facts: { ...FACTS, owner: userFacts("L") } }));
    expect(refused).to.deep.equal({ outcome: "update", changes: { active: true, clearLeaveDate: false, leaveDateRefusal: { leaveDate: PAST, reason: "ownerGuard", audit: true } } });
    const again = decideTransition(request({ current: { ...userFacts("L"), leaveDateRefusedFor: PAST }, afterActive: true, afterLeaveDate: PAST, policy: { reassignReportsTo: "block" } }));
    expect(again).to.deep.equal({ outcome: "update", changes: { active: true, clearLeaveDate: false, leaveDateRefusal: { leaveDate: PAST, reason: "leaderBlocked", audit: false } } });
  });

  it("clears a passed leave date on reactivation, not a future one [reactivate]", () => {
    const inactive = userFacts("L", { active: false });
    const past = decideTransition(request({ current: inactive, afterActive: true, afterLeaveDate: PAST }));
    expect(past).to.deep.include({ outcome: "transition", kind: "reactivate", effects: [] });
    if (past.outcome !== "transition") throw new Error("expected a transition");
    expect(past.changes.clearLeaveDate).to.equal(true);
    const future = decideTransition(request({ current: inactive, afterActive: true, afterLeaveDate: FUTURE }));
    expect(future.outcome === "transition" && future.changes.clearLeaveDate).to.equal(false);
  });

  it("is a plain update when active does not change and no leave date is due [no transition]", () => {
    expect(decideTransition(request({ afterActive: true, afterLeaveDate: FUTURE, facts: null }))).to.deep.equal({ outcome: "update", changes: { active: true, clearLeaveDate: false, leaveDateRefusal: null } });
  });

  it("throws when an offboarding is decided without its facts [caller error]", () => {
    expect(() => decideTransition(request({ facts: null }))).to.throw(/facts/);
  });
});

describe("offboardingKind", () => {
  it("says which requests need the offboarding facts", () => {
    expect(offboardingKind(request())).to.equal("deactivation");
    expect(offboardingKind(request({ kind: "remove" }))).to.equal("removal");
    expect(offboardingKind(request({ afterActive: true, afterLeaveDate: PAST }))).to.equal("deactivation");
    expect(offboardingKind(request({ afterActive: true, afterLeaveDate: FUTURE }))).to.equal(null);
    expect(offboardingKind(request({ current: userFacts("L", { active: false }), afterActive: true }))).to.equal(null);
  });
});

describe("previewOffboarding", () => {
  it("lists every refusal in the order decideTransition refuses with the first [incomplete profile, block]", () => {
    const blocked = request({ after: { userName: "l" }, policy: { requiredProfileFields: ["name.givenName"], reassignReportsTo: "block" } });
    const preview = previewOffboarding(blocked, "deactivation");
    expect(preview.refusals.map((r) => r.reason)).to.deep.equal(["incompleteProfile", "leaderBlocked"]);
    expect(preview.refusals[0].missing).to.deep.equal(["name.givenName"]);
    expect(refusalReason(decideTransition(blocked))).to.equal(`deactivate refused: ${preview.refusals[0].reason}`);
  });

  it("skips the completeness check for a removal [remove]", () => {
    const removal = request({ kind: "remove", after: { userName: "l" }, policy: { requiredProfileFields: ["name.givenName"] } });
    expect(previewOffboarding(removal, "removal").refusals).to.deep.equal([]);
  });

  it("is what decideTransition applies, with an administrator's choices [choices]", () => {
    const chosen = request({ policy: { reassignReportsTo: "block" }, choices: { successor: "S", groups: new Map([["G1", "X"]]) } });
    const preview = previewOffboarding(chosen, "deactivation");
    const decision = decideTransition(chosen);
    if (decision.outcome !== "transition") throw new Error(`expected a transition, got ${decision.outcome}`);
    expect(decision.effects).to.deep.equal(preview.effects);
    expect(decision.successorId).to.equal("S");
    expect(decision.effects).to.deep.include({ kind: "reassignGroupLeader", groupId: "G1", from: "L", to: "X" });
  });
});
