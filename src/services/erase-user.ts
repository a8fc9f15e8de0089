import { auditActor } from "../domain/audit-actor";
import { CORE_USER, ERASED_ATTRIBUTES, RosterError, diffForAudit, planErasure, redactAuditValues, type ScimJson } from "../domain";
import { scimToUserFields, userDocToScim } from "./user-resource";
import { appendAudit, findAuditAbout, redactAuditEntry, type AuditDoc } from "../store/audit-store";
import type { UserDoc } from "../store/documents";
import { isTransitionPending, redactTransitionsOf } from "../store/transition-store";
import { findAnyUser, replaceAnyUserIfVersion } from "../store/user-store";
import { getRuntime, type ActionContext } from "./context";
import { moveOrganizationSeat } from "./organization-seats";
import { loadTenantSettings } from "./tenant-policy";

const WRITE_ATTEMPTS = 5;

/** Top-level User attributes whose values are personal (SPEC §4 Erase), lowercased. */
const PERSONAL_ATTRIBUTES = new Set([...ERASED_ATTRIBUTES, "displayName", "userName"].map((name) => name.toLowerCase()));

/**
 * SPEC §4 Erase (seed 004), admin only: wipes the personal data of a
 * deactivated or removed user (409 for an active one) and redacts those values
 * in every audit entry about the user (as target or cause) and in the
 * user's recorded transitions. Irreversible. Refused (409) while the user's
 * last transition is still pending: its cascade would write the main audit
 * entry after the redaction.
 *
 * Crash-safe by order: the audit log is redacted while the personal values are
 * still known, then the user is rewritten, then `user.erase` is recorded under
 * an id derived from the version the erase wrote, so running it again after a
 * crash finishes the job without a second entry.
 */
export async function eraseUser(ctx: ActionContext, id: string): Promise<UserDoc> {
  const settings = await loadTenantSettings(ctx.tenant);
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const current = await findAnyUser(ctx.tenant, id);
    if (!current) throw RosterError.notFound(`User ${id} not found`);
    const removed = Boolean(current.deletedAt);
    if (current.active && !removed) throw RosterError.conflict(`User ${id} is active: deactivate or remove it before erasing it`);

    if (current.lastTransition && (await isTransitionPending(ctx.tenant, current.lastTransition))) {
      throw RosterError.conflict(`User ${id} is still being offboarded; retry in a minute`);
    }

    const { erased, personalValues } = planErasure(userDocToScim(current), id);
    await redactAuditAbout(ctx.tenant, id, personalValues);
    const now = getRuntime().now();
    const fields = scimToUserFields(erased);
    const next: UserDoc = {
      ...fields,
      _id: current._id,
      tenant: current.tenant,
      version: current.version + 1,
      created: current.created,
      lastModified: now,
      active: current.active,
      // a removed user keeps its removed key, so its former userName stays free (SPEC §4 Remove)
      userNameKey: removed ? current.userNameKey : fields.userNameKey,
      deletedAt: current.deletedAt ?? null,
      erasedAt: now,
      leaveDateRefusedFor: current.leaveDateRefusedFor ?? null,
      lastTransition: current.lastTransition,
    };
    if (next.lastTransition === undefined) delete next.lastTransition;

    if (current.erasedAt && !current.passwordHash && isUnchanged(current, next)) {
      // Nothing personal left. If the last write was the erasure, make sure it was recorded.
      if (new Date(current.erasedAt).getTime() === new Date(current.lastModified).getTime()) await recordErasure(ctx, id, current.version, new Date(current.erasedAt));
      return current;
    }
    if (!(await replaceAnyUserIfVersion(next, current.version))) continue;
    // a deactivated user keeps their seat, now as the person `deleted-<id>`
    await moveOrganizationSeat(ctx.tenant, settings.tenant.organizationId, current, next);
    await recordErasure(ctx, id, next.version, now);
    return next;
  }
  throw RosterError.conflict(`User ${id} kept changing while it was being erased; retry`);
}

/**
 * Redacts the user's personal values in the entries about it (as target or
 * cause); action, time, actor and target stay. Former values count too: a
 * surname changed last year is still in last year's `user.update`, so the
 * values each entry recorded under a personal attribute of this user are
 * collected before anything is redacted.
 */
async function redactAuditAbout(tenant: string, userId: string, currentValues: string[]): Promise<void> {
  const entries = await findAuditAbout(tenant, userId);
  const personalValues = [...new Set([...currentValues, ...entries.flatMap((entry) => (entry.target === userId ? recordedPersonalValues(entry, userId) : []))])];
  if (!personalValues.length) return;
  // a transition keeps the main entry's before/after until its cascade completes: redacted too
  await redactTransitionsOf(tenant, userId, (change) => redactAuditValues(change, personalValues));
  for (const entry of entries) {
    const before = entry.before === undefined ? undefined : redactAuditValues(entry.before, personalValues);
    const after = entry.after === undefined ? undefined : redactAuditValues(entry.after, personalValues);
    if (JSON.stringify(before) === JSON.stringify(entry.before) && JSON.stringify(after) === JSON.stringify(entry.after)) continue;
    await redactAuditEntry(tenant, entry._id, { before, after });
  }
}

/** The values an entry about the user holds under personal attribute paths (`name.givenName`, `emails`, …). */
function recordedPersonalValues(entry: AuditDoc, userId: string): string[] {
  const grouped: ScimJson = {};
  for (const side of [entry.before, entry.after]) {
    for (const [path, value] of Object.entries(side ?? {})) {
      const withoutCore = path.toLowerCase().startsWith(`${CORE_USER.toLowerCase()}:`) ? path.slice(CORE_USER.length + 1) : path;
      const attribute = withoutCore.split(/[.[]/)[0].toLowerCase();
      if (!PERSONAL_ATTRIBUTES.has(attribute)) continue;
      grouped[attribute] = [...((grouped[attribute] as unknown[] | undefined) ?? []), value];
    }
  }
  // planErasure knows which sub-values are personal (not `type`/`primary`) and which are placeholders
  return planErasure(grouped, userId).personalValues;
}

/** `user.erase` holds no personal value, not even a former one. */
async function recordErasure(ctx: ActionContext, userId: string, version: number, at: Date): Promise<void> {
  await appendAudit({ _id: `${userId}:erase:${version}`, tenant: ctx.tenant, at, ...auditActor(ctx), action: "user.erase", target: userId, after: { erased: true }, requestId: ctx.requestId });
}

function isUnchanged(current: UserDoc, next: UserDoc): boolean {
  const change = diffForAudit(userDocToScim(current), userDocToScim(next));
  return !Object.keys(change.before).length && !Object.keys(change.after).length && current.userNameKey === next.userNameKey;
}
