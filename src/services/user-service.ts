import { auditActor } from "../domain/audit-actor";
import {
  LEAVE_DATE_ACTOR,
  RosterError,
  decideTransition,
  diffForAudit,
  isLeaveDue,
  offboardingKind,
  previewOffboarding,
  type Effect,
  type OffboardingChoices,
  type OffboardingPlan,
  type ScimJson,
  type TransitionRequest,
} from "../domain";
import { scimToUserFields, userDocToScim } from "./user-resource";
import { appendAudit } from "../store/audit-store";
import type { UserDoc } from "../store/documents";
import { newId } from "../store/new-id";
import { finishTransition, insertTransition, markTransitionCommitted, type TransitionDoc } from "../store/transition-store";
import { countTransition, type TransitionKind, type TransitionOutcome } from "../metrics/lifecycle-metrics";
import { findLiveUser, markLeaveDateRefused, replaceUserIfVersion } from "../store/user-store";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext, type CascadeOutcome } from "./context";
import { hashPassword } from "./hash-password";
import { loadOffboardingFacts, userFacts } from "./offboarding-input";
import { runCascade } from "./run-cascade";
import { insertUserWithinSeats } from "./take-seats";
import { moveOrganizationSeat, renameSeatRefusal } from "./organization-seats";
import { loadTenantSettings, type TenantSettings } from "./tenant-policy";

export { LEAVE_DATE_ACTOR };

/** An administrator's transition of one user (POST …/users/{id}/deactivate|reactivate|remove). */
export type AdminAction = "deactivate" | "reactivate" | "remove";

/** What an administrator's offboarding adds to a transition (SPEC §11): hand-over choices, and what its audit entries record. */
export interface AdminTransition {
  choices?: OffboardingChoices;
  /** stored on the transition, so a resumed cascade writes the same entries */
  record: TransitionRecord;
}

/** The administrator's reason and choices as given, carried by the transition's audit entries. */
export type TransitionRecord = Pick<TransitionDoc, "reason" | "choices">;

/** Thrown when the user changed between a PATCH's read and its write; the caller retries. */
export class ConcurrentWrite extends Error {}

/** A live user or 404. */
export async function getUser(tenant: string, id: string): Promise<UserDoc> {
  const doc = await findLiveUser(tenant, id);
  if (!doc) throw RosterError.notFound(`User ${id} not found`);
  return doc;
}

/** POST /Users: seats, uniqueness, and a leave date already past (SPEC §4 Seats, Leave date). */
export async function createUser(ctx: ActionContext, instance: ScimJson): Promise<UserDoc> {
  const settings = await loadTenantSettings(ctx.tenant);
  const now = getRuntime().now();
  const fields = scimToUserFields(instance);
  await checkManagerReference(ctx.tenant, null, fields);
  // A brand-new user has no reports, groups or sessions: a past leave date simply creates it deactivated.
  const active = fields.active ?? true;
  const leftAlready = active && isLeaveDue(fields.roster?.leaveDate, now);
  const doc: UserDoc = {
    ...fields,
    _id: newId(),
    tenant: ctx.tenant,
    version: 1,
    created: now,
    lastModified: now,
    active: leftAlready ? false : active,
    deletedAt: null,
  };
  if (typeof instance.password === "string") doc.passwordHash = await hashPassword(instance.password);
  await insertUserWithinSeats(settings, doc);
  const created = diffForAudit({}, userDocToScim({ ...doc, active }));
  await recordAudit(ctx, "user.create", doc._id, { before: {}, after: created.after }, now);
  if (leftAlready) {
    await recordAudit({ ...ctx, actor: LEAVE_DATE_ACTOR, actorName: undefined }, "user.deactivate", doc._id, { before: { active: true }, after: { active: false } }, now);
  }
  return doc;
}

/**
 * PUT /Users/:id, and the after-image of a PATCH: the whole user as it will be.
 * Detects deactivation and reactivation however they arrive (SPEC §4).
 * `read` is the user a PATCH was computed from: it is not read again, as the write is a
 * compare-and-set on its version (a newer user makes the PATCH recompute, ConcurrentWrite).
 */
export async function replaceUser(ctx: ActionContext, id: string, instance: ScimJson, read?: UserDoc): Promise<UserDoc> {
  const current = read && read._id === id && read.tenant === ctx.tenant ? read : await getUser(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();

  const fields = scimToUserFields(instance);
  await checkManagerReference(ctx.tenant, id, fields);
  const next: UserDoc = {
    ...fields,
    active: fields.active ?? current.active,
    _id: current._id,
    tenant: current.tenant,
    version: current.version + 1,
    created: current.created,
    lastModified: getRuntime().now(),
    deletedAt: null,
    erasedAt: current.erasedAt ?? null,
    leaveDateRefusedFor: current.leaveDateRefusedFor ?? null,
    lastTransition: current.lastTransition,
    passwordHash: typeof instance.password === "string" ? await hashPassword(instance.password) : current.passwordHash,
  };
  if (!next.passwordHash) delete next.passwordHash;
  return applyDecision(ctx, "update", current, next);
}

/** DELETE /Users/:id: soft delete with every deactivation effect (SPEC §4 Remove). */
export async function removeUser(ctx: ActionContext, id: string): Promise<void> {
  const current = await getUser(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
  await applyDecision(ctx, "remove", current, afterImage(current, "remove"));
}

/**
 * SPEC §11 administrator offboarding: the same decision and the same crash-safe
 * transition as a SCIM request, with the administrator's hand-over choices and
 * the reason and choices recorded. Deactivating a deactivated user (or
 * reactivating an active one) changes nothing. Returns the user as written.
 */
export async function transitionByAdmin(ctx: ActionContext, current: UserDoc, action: AdminAction, admin: AdminTransition): Promise<UserDoc> {
  return applyDecision(ctx, action === "remove" ? "remove" : "update", current, afterImage(current, action), admin);
}

/**
 * What {@link transitionByAdmin} would decide now for a deactivation or removal,
 * from the same facts and the same rule (previewOffboarding, which
 * decideTransition refuses and cascades from); null when there is nothing to
 * offboard (deactivating a deactivated user).
 */
export async function previewAdminOffboarding(ctx: ActionContext, current: UserDoc, action: "deactivate" | "remove", choices?: OffboardingChoices): Promise<OffboardingPlan | null> {
  const settings = await loadTenantSettings(ctx.tenant);
  const request = transitionRequest(ctx, action === "remove" ? "remove" : "update", current, afterImage(current, action), settings, choices);
  const kind = offboardingKind(request);
  if (kind === null) return null;
  return previewOffboarding({ ...request, facts: await loadOffboardingFacts(current, settings.tenant) }, kind);
}

/** The user as an administrator's action leaves it, before the rules decide. */
function afterImage(current: UserDoc, action: AdminAction): UserDoc {
  const now = getRuntime().now();
  const next: UserDoc = { ...current, version: current.version + 1, lastModified: now, active: action === "reactivate" };
  if (action !== "remove") return next;
  // frees the userName for a new resource while keeping the index plain (SPEC §8)
  return { ...next, deletedAt: now, userNameKey: `\u0000removed:${current._id}` };
}

/**
 * Leave-date deactivation run by the background job (SPEC §4 Leave date): the
 * user's own after-image is unchanged, so decideTransition sees a due leave
 * date and applies the same guards as a request, with one refusal entry per leave date.
 */
export async function deactivateForLeaveDate(tenant: string, id: string): Promise<"deactivated" | "refused" | "skipped"> {
  const current = await findLiveUser(tenant, id);
  if (!current || !current.active || !isLeaveDue(current.roster?.leaveDate, getRuntime().now())) return "skipped";
  const ctx: ActionContext = { tenant, actor: LEAVE_DATE_ACTOR, requestId: `job-${newId()}`, bulk: false };
  const next: UserDoc = { ...current, version: current.version + 1, lastModified: getRuntime().now() };
  try {
    const written = await applyDecision(ctx, "update", current, next);
    return written.active ? "refused" : "deactivated";
  } catch (error) {
    if (error instanceof ConcurrentWrite) return "skipped";
    throw error;
  }
}

/**
 * The one path of every user write that may be a transition: loads the facts
 * an offboarding needs, asks decideTransition (SPEC §4), then writes the plain
 * update or commits the transition. Returns the user as written (or unchanged).
 */
async function applyDecision(ctx: ActionContext, kind: "update" | "remove", current: UserDoc, next: UserDoc, admin?: AdminTransition): Promise<UserDoc> {
  const settings = await loadTenantSettings(ctx.tenant);
  const request = transitionRequest(ctx, kind, current, next, settings, admin?.choices);
  const { now } = request;
  const facts = offboardingKind(request) ? await loadOffboardingFacts(current, settings.tenant) : null;
  const decision = decideTransition({ ...request, facts });
  if (decision.outcome === "refused") {
    countTransition(decision.kind, "refused");
    throw RosterError.fromRefusal(decision.refusal);
  }

  next.active = decision.changes.active;
  if (decision.changes.clearLeaveDate && next.roster) delete next.roster.leaveDate;
  const refusal = decision.changes.leaveDateRefusal;
  if (refusal) {
    if (refusal.audit) {
      // counted once per leave date, like its audit entry, not at every sweep that looks again
      countTransition("deactivate", "refused");
      await auditLeaveDateRefusal(ctx, current, refusal.leaveDate, refusal.reason, now);
    }
    next.leaveDateRefusedFor = refusal.leaveDate;
  }

  const seatRefusal = kind === "remove" ? null : await renameSeatRefusal(settings.tenant.organizationId, current, next);
  if (seatRefusal) throw RosterError.fromRefusal(seatRefusal);
  const change = kind === "remove" ? (current.active ? { before: { active: true }, after: { active: false } } : { before: {}, after: {} }) : diffForAudit(userDocToScim(current), userDocToScim(next));
  if (decision.outcome === "update") {
    if (!Object.keys(change.after).length && !Object.keys(change.before).length && next.passwordHash === current.passwordHash) return current;
    if (!(await replaceUserIfVersion(next, current.version))) throw conflictFor(ctx);
    await moveOrganizationSeat(ctx.tenant, settings.tenant.organizationId, current, next);
    await recordAudit(ctx, "user.update", current._id, change, now);
    return next;
  }
  const action = TRANSITION_ACTIONS[decision.kind];
  await commitTransition({ ...ctx, actor: decision.actor, actorName: decision.actor === ctx.actor ? ctx.actorName : undefined }, action, current, next, change, decision.effects, admin?.record ?? {});
  await moveOrganizationSeat(ctx.tenant, settings.tenant.organizationId, current, next);
  return next;
}

/** The one way a user write is put to decideTransition, for requests, jobs, administrators and plans alike. */
function transitionRequest(ctx: ActionContext, kind: "update" | "remove", current: UserDoc, next: UserDoc, settings: TenantSettings, choices?: OffboardingChoices): Omit<TransitionRequest, "facts"> {
  return {
    kind,
    current: { ...userFacts(current), leaveDateRefusedFor: current.leaveDateRefusedFor },
    after: userDocToScim(next),
    afterActive: next.active,
    afterLeaveDate: next.roster?.leaveDate,
    policy: settings.policy,
    initiator: { actor: ctx.actor, bulk: ctx.bulk, leaveDate: ctx.actor === LEAVE_DATE_ACTOR },
    now: getRuntime().now(),
    ...(choices ? { choices } : {}),
  };
}

const TRANSITION_ACTIONS = { deactivate: "user.deactivate", reactivate: "user.reactivate", remove: "user.remove" } as const;
const TRANSITION_KINDS: Record<TransitionDoc["action"], TransitionKind> = { "user.deactivate": "deactivate", "user.reactivate": "reactivate", "user.remove": "remove" };
const OUTCOME_LABELS: Record<CascadeOutcome, TransitionOutcome> = { complete: "complete", takenOver: "taken_over", failed: "cascade_failed" };

/**
 * Records the transition, then commits the user's own change as the single
 * write that decides whether it happened, then runs the cascade (SPEC §4 Crash
 * safety). Once the commit landed the change happened: a cascade that fails
 * or is taken over by another process is finished by the sweep, and the
 * request still succeeds (a retry by the identity provider would change nothing).
 */
async function commitTransition(
  ctx: ActionContext,
  action: TransitionDoc["action"],
  current: UserDoc,
  next: UserDoc,
  change: { before: Record<string, unknown>; after: Record<string, unknown> },
  effects: Effect[],
  record: TransitionRecord,
): Promise<void> {
  const runtime = getRuntime();
  const now = runtime.now();
  const transition: TransitionDoc = {
    _id: newId(),
    tenant: ctx.tenant,
    userId: current._id,
    userVersion: current.version,
    action,
    ...auditActor(ctx),
    requestId: ctx.requestId,
    at: now,
    before: change.before,
    after: change.after,
    effects,
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
    ...(record.choices !== undefined ? { choices: record.choices } : {}),
    done: [],
    status: "pending",
    committed: false,
    leaseOwner: runtime.processId,
    leaseUntil: new Date(now.getTime() + runtime.leaseMs),
  };
  await insertTransition(transition);
  next.lastTransition = transition._id;
  // A write that throws may still have landed (a timeout after the server applied it): the
  // transition then stays pending for the sweep, which fences the user's version and rolls it
  // forward or aborts it. Only a write known not to have matched is aborted here.
  const written = await replaceUserIfVersion(next, current.version);
  if (!written) {
    await finishTransition(ctx.tenant, transition._id, "aborted");
    countTransition(TRANSITION_KINDS[action], "conflict");
    throw conflictFor(ctx);
  }
  let outcome: CascadeOutcome;
  try {
    await markTransitionCommitted(ctx.tenant, transition._id);
    outcome = (await runCascade(transition)) ? "complete" : "takenOver";
  } catch (error) {
    outcome = "failed";
    countTransition(TRANSITION_KINDS[action], OUTCOME_LABELS[outcome]);
    runtime.reportCascade?.({ tenant: ctx.tenant, transition: transition._id, user: current._id, outcome, error });
    return;
  }
  countTransition(TRANSITION_KINDS[action], OUTCOME_LABELS[outcome]);
  if (outcome !== "complete") runtime.reportCascade?.({ tenant: ctx.tenant, transition: transition._id, user: current._id, outcome });
}

/**
 * A user cannot manage themselves. Other ids are kept as sent, even ones that are not (yet)
 * Roster users: Okta often maps manager.value from an HR id, and refusing it would fail the
 * whole user push. Such an id never matches a leaver, so it never receives reports.
 */
async function checkManagerReference(_tenant: string, selfId: string | null, fields: { enterprise?: { manager?: { value: string } } }): Promise<void> {
  const managerId = fields.enterprise?.manager?.value;
  if (managerId && managerId === selfId) throw RosterError.invalidValue("A user cannot be their own manager");
}

/**
 * One `user.deactivate.refused` entry per leave-date value (SPEC §4 Leave date).
 * The entry id is derived from the user and the leave date, so a request and
 * the background job refusing the same leave date at once still write one entry.
 */
async function auditLeaveDateRefusal(ctx: ActionContext, user: UserDoc, leaveDate: Date, reason: string, now: Date): Promise<void> {
  await markLeaveDateRefused(user.tenant, user._id, leaveDate);
  await appendAudit({
    _id: `${user._id}:leave-date-refused:${leaveDate.toISOString()}`,
    tenant: user.tenant,
    at: now,
    actor: LEAVE_DATE_ACTOR,
    action: "user.deactivate.refused",
    target: user._id,
    reason,
    requestId: ctx.requestId,
  });
}

function conflictFor(ctx: ActionContext): Error {
  return ctx.ifMatch !== undefined ? RosterError.preconditionFailed() : new ConcurrentWrite();
}
