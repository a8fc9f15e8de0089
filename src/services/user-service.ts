import {
  RosterError,
  checkProfileCompleteness,
  checkSeatAvailable,
  classifyTransition,
  diffForAudit,
  isLeaveDue,
  planDeactivation,
  planRemoval,
  shouldClearLeaveDateOnReactivation,
  type Effect,
  type Initiator,
  type ScimJson,
} from "../domain";
import { scimToUserFields, userDocToScim } from "./user-resource";
import { appendAudit } from "../store/audit-store";
import type { UserDoc } from "../store/documents";
import { newId } from "../store/new-id";
import { finishTransition, insertTransition, type TransitionDoc } from "../store/transition-store";
import { countLiveUsers, deleteUserHard, findLiveUser, insertUser, markLeaveDateRefused, replaceUserIfVersion } from "../store/user-store";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext } from "./context";
import { hashPassword } from "./hash-password";
import { loadOffboardingInput } from "./offboarding-input";
import { runCascade } from "./run-cascade";
import { loadTenantSettings, type TenantSettings } from "./tenant-policy";

export const LEAVE_DATE_ACTOR = "system:leave-date";

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
  // counting seats reads every live user of the tenant: only when there is a limit
  if (settings.policy.seatLimit !== null) {
    const seatRefusal = checkSeatAvailable(await countLiveUsers(ctx.tenant), settings.policy.seatLimit);
    if (seatRefusal) throw RosterError.fromRefusal(seatRefusal);
  }

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
  await insertUser(doc);

  // Two concurrent creates may both pass the first check; the loser backs out (never over the limit).
  if (settings.policy.seatLimit !== null && (await countLiveUsers(ctx.tenant)) > settings.policy.seatLimit) {
    await deleteUserHard(ctx.tenant, doc._id);
    throw RosterError.fromRefusal(checkSeatAvailable(settings.policy.seatLimit, settings.policy.seatLimit)!);
  }
  const created = diffForAudit({}, userDocToScim({ ...doc, active }));
  await recordAudit(ctx, "user.create", doc._id, { before: {}, after: created.after }, now);
  if (leftAlready) {
    await recordAudit({ ...ctx, actor: LEAVE_DATE_ACTOR }, "user.deactivate", doc._id, { before: { active: true }, after: { active: false } }, now);
  }
  return doc;
}

/**
 * PUT /Users/:id, and the after-image of a PATCH: the whole user as it will be.
 * Detects deactivation and reactivation however they arrive (SPEC §4).
 * `readVersion` is the version a PATCH was computed from.
 */
export async function replaceUser(ctx: ActionContext, id: string, instance: ScimJson, readVersion?: number): Promise<UserDoc> {
  const current = await getUser(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
  if (readVersion !== undefined && readVersion !== current.version) throw new ConcurrentWrite();

  const runtime = getRuntime();
  const now = runtime.now();
  const settings = await loadTenantSettings(ctx.tenant);
  const fields = scimToUserFields(instance);
  await checkManagerReference(ctx.tenant, id, fields);
  const next: UserDoc = {
    ...fields,
    active: fields.active ?? current.active,
    _id: current._id,
    tenant: current.tenant,
    version: current.version + 1,
    created: current.created,
    lastModified: now,
    deletedAt: null,
    erasedAt: current.erasedAt ?? null,
    leaveDateRefusedFor: current.leaveDateRefusedFor ?? null,
    lastTransition: current.lastTransition,
    passwordHash: typeof instance.password === "string" ? await hashPassword(instance.password) : current.passwordHash,
  };
  if (!next.passwordHash) delete next.passwordHash;

  let kind = classifyTransition(current, next);
  let initiator: Initiator = { actor: ctx.actor, bulk: ctx.bulk, leaveDate: false };
  if (kind === "reactivate") {
    requireCompleteProfile(next, settings);
    if (next.roster && shouldClearLeaveDateOnReactivation(next.roster.leaveDate, now)) delete next.roster.leaveDate;
  } else if (kind === "deactivate") {
    requireCompleteProfile(next, settings);
  } else if (next.active && isLeaveDue(next.roster?.leaveDate, now)) {
    // A leave date set in the past deactivates at once, by the leave date's authority (SPEC §4 Leave date).
    kind = "deactivate";
    initiator = { actor: LEAVE_DATE_ACTOR, bulk: ctx.bulk, leaveDate: true };
    next.active = false;
  }

  let effects: Effect[] = [];
  if (kind === "deactivate") {
    const plan = planDeactivation(await loadOffboardingInput(current, settings.tenant, settings.policy, initiator));
    if (!plan.ok) {
      if (!initiator.leaveDate) throw RosterError.fromRefusal(plan.refusal);
      // refused leave date: the rest of the update still applies, the user stays active
      await auditLeaveDateRefusal(ctx, next, plan.refusal.reason, now);
      next.leaveDateRefusedFor = next.roster?.leaveDate ? new Date(next.roster.leaveDate) : null;
      kind = null;
      next.active = true;
    } else {
      effects = plan.effects;
    }
  }

  const change = diffForAudit(userDocToScim(current), userDocToScim(next));
  if (!kind) {
    if (!Object.keys(change.after).length && !Object.keys(change.before).length && next.passwordHash === current.passwordHash) return current;
    if (!(await replaceUserIfVersion(next, current.version))) throw conflictFor(ctx);
    await recordAudit(ctx, "user.update", id, change, now);
    return next;
  }
  const action = kind === "deactivate" ? "user.deactivate" : "user.reactivate";
  const actor = initiator.leaveDate ? LEAVE_DATE_ACTOR : ctx.actor;
  await commitTransition({ ...ctx, actor }, action, current, next, change, effects, () => replaceUserIfVersion(next, current.version));
  return next;
}

/** DELETE /Users/:id: soft delete with every deactivation effect (SPEC §4 Remove). */
export async function removeUser(ctx: ActionContext, id: string): Promise<void> {
  const current = await getUser(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
  const settings = await loadTenantSettings(ctx.tenant);
  const plan = planRemoval(await loadOffboardingInput(current, settings.tenant, settings.policy, { actor: ctx.actor, bulk: ctx.bulk, leaveDate: false }));
  if (!plan.ok) throw RosterError.fromRefusal(plan.refusal);
  const now = getRuntime().now();
  const next: UserDoc = {
    ...current,
    version: current.version + 1,
    lastModified: now,
    active: false,
    deletedAt: now,
    // frees the userName for a new resource while keeping the index plain (SPEC §8)
    userNameKey: `\u0000removed:${current._id}`,
  };
  const change = current.active ? { before: { active: true }, after: { active: false } } : { before: {}, after: {} };
  await commitTransition(ctx, "user.remove", current, next, change, plan.effects, () => replaceUserIfVersion(next, current.version));
}

/**
 * Leave-date deactivation run by the background job (SPEC §4 Leave date):
 * same guards, no completeness check, one refusal entry per leave date.
 */
export async function deactivateForLeaveDate(tenant: string, id: string): Promise<"deactivated" | "refused" | "skipped"> {
  const current = await findLiveUser(tenant, id);
  const now = getRuntime().now();
  if (!current || !current.active || !isLeaveDue(current.roster?.leaveDate, now)) return "skipped";
  const ctx: ActionContext = { tenant, actor: LEAVE_DATE_ACTOR, requestId: `job-${newId()}`, bulk: false };
  const settings = await loadTenantSettings(tenant);
  const plan = planDeactivation(await loadOffboardingInput(current, settings.tenant, settings.policy, { actor: LEAVE_DATE_ACTOR, bulk: false, leaveDate: true }));
  if (!plan.ok) {
    await auditLeaveDateRefusal(ctx, current, plan.refusal.reason, now);
    return "refused";
  }
  const next: UserDoc = { ...current, active: false, version: current.version + 1, lastModified: now };
  const change = { before: { active: true }, after: { active: false } };
  try {
    await commitTransition(ctx, "user.deactivate", current, next, change, plan.effects, () => replaceUserIfVersion(next, current.version));
  } catch (error) {
    if (error instanceof ConcurrentWrite) return "skipped";
    throw error;
  }
  return "deactivated";
}

/**
 * Records the transition, then commits the user's own change as the single
 * write that decides whether it happened, then runs the cascade (SPEC §4 Crash safety).
 */
async function commitTransition(
  ctx: ActionContext,
  action: TransitionDoc["action"],
  current: UserDoc,
  next: UserDoc,
  change: { before: Record<string, unknown>; after: Record<string, unknown> },
  effects: Effect[],
  write: () => Promise<boolean>,
): Promise<void> {
  const runtime = getRuntime();
  const now = runtime.now();
  const transition: TransitionDoc = {
    _id: newId(),
    tenant: ctx.tenant,
    userId: current._id,
    action,
    actor: ctx.actor,
    requestId: ctx.requestId,
    at: now,
    before: change.before,
    after: change.after,
    effects,
    done: [],
    status: "pending",
    leaseOwner: runtime.processId,
    leaseUntil: new Date(now.getTime() + runtime.leaseMs),
  };
  await insertTransition(transition);
  next.lastTransition = transition._id;
  let written = false;
  try {
    written = await write();
  } finally {
    if (!written) await finishTransition(ctx.tenant, transition._id, "aborted");
  }
  if (!written) throw conflictFor(ctx);
  await runCascade(transition);
}

function requireCompleteProfile(next: UserDoc, settings: TenantSettings): void {
  const refusal = checkProfileCompleteness(userDocToScim(next), settings.policy);
  if (refusal) throw RosterError.fromRefusal(refusal);
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
async function auditLeaveDateRefusal(ctx: ActionContext, user: UserDoc, reason: string, now: Date): Promise<void> {
  const leaveDate = user.roster?.leaveDate ? new Date(user.roster.leaveDate) : null;
  if (!leaveDate || Number.isNaN(leaveDate.getTime())) return;
  const refusedFor = user.leaveDateRefusedFor ? new Date(user.leaveDateRefusedFor).getTime() : null;
  if (refusedFor === leaveDate.getTime()) return;
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
