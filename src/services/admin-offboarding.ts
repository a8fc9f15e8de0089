import { RosterError, checkOffboardingChoices, type OffboardingChoices, type OffboardingPlan, type Refusal, type UserFacts } from "../domain";
import type { UserDoc } from "../store/documents";
import { listCredentials } from "../store/credential-store";
import { findGroups } from "../store/group-store";
import { groupIdsOf } from "../store/membership-store";
import { findLiveUsers } from "../store/user-store";
import type { ActionContext } from "./context";
import { loadOffboardingFacts, userFacts } from "./offboarding-input";
import { seatEffect, type OffboardingAction, type SeatEffect } from "./seat-effect";
import { loadTenantSettings } from "./tenant-policy";
import { ConcurrentWrite, getUser, previewAdminOffboarding, transitionByAdmin, type AdminAction, type TransitionRecord } from "./user-service";
import { invalidPayload, validatePayload } from "./validate-payload";

/** How many levels above the named leads a manager-cycle check reads. */
const MAX_REPORTING_LINE = 32;

/** The body of POST …/users/{id}/deactivate and …/remove, and of POST …/offboarding-plan (schemas/admin-offboarding.schema.json). */
export interface OffboardingBody {
  successor?: string;
  reassign?: { reports?: Record<string, string>; groups?: Record<string, string> };
  revokeApiKeys?: boolean;
  reason?: string;
}

/** GET and POST …/users/{id}/offboarding-plan: what the offboarding would do now, changing nothing. */
export interface OffboardingPlanView {
  action: OffboardingAction;
  user: { id: string; userName: string; active: boolean };
  /** true when the POST with these choices would offboard the user now; false: it answers the first refusal */
  allowed: boolean;
  /** nothing to do: the user is already deactivated */
  unchanged: boolean;
  refusals: RefusalView[];
  /** the refusal the same offboarding would meet inside /Bulk (team leaders go one by one); never this request's */
  inBulk: RefusalView | null;
  successor: { id: string; userName: string | null; source: "chosen" | "manager" | "owner" } | null;
  reports: Array<{ id: string; userName: string | null; newManager: string | null; chosen: boolean }>;
  groups: Array<{ id: string; displayName: string | null; newLeader: string | null; chosen: boolean }>;
  memberships: { kept: string[]; dropped: string[] };
  sessions: { revoked: string[] };
  apiKeys: { revoked: string[]; kept: string[] };
  seats: SeatEffect;
  /** the choices planned, as given */
  choices: Record<string, unknown>;
}

export type RefusalView = Pick<Refusal, "status" | "reason" | "detail" | "missing" | "pending">;

/** SPEC §11 offboarding plan: the same facts and the same rule as the transition itself (previewOffboarding), and nothing written. */
export async function planAdminOffboarding(ctx: ActionContext, userId: string, query: unknown, body: unknown): Promise<OffboardingPlanView> {
  const { action } = validatePayload<{ action: OffboardingAction }>("offboardingPlanQuery", query);
  const given = validatePayload<OffboardingBody>("offboarding", body);
  const current = await getUser(ctx.tenant, userId);
  const choices = await checkedChoices(ctx.tenant, current, given);
  const plan = await previewAdminOffboarding(ctx, current, action, choices);
  return viewPlan(ctx.tenant, current, action, plan, given, ctx.tenantScope);
}

/**
 * SPEC §11 administrator offboarding: POST …/deactivate, …/remove with the
 * administrator's choices, …/reactivate with a reason only. Bad choices are a
 * 400 naming each; then the transition decides as for any request.
 */
export async function offboardAsAdmin(ctx: ActionContext, userId: string, action: AdminAction, body: unknown): Promise<UserDoc> {
  for (let attempt = 1; ; attempt++) {
    const current = await getUser(ctx.tenant, userId);
    let admin: Parameters<typeof transitionByAdmin>[3];
    if (action === "reactivate") {
      const { reason } = validatePayload<{ reason?: string }>("reactivate", body);
      admin = { record: reason === undefined ? {} : { reason } };
    } else {
      const given = validatePayload<OffboardingBody>("offboarding", body);
      admin = { choices: await checkedChoices(ctx.tenant, current, given), record: recordOf(given) };
    }
    try {
      return await transitionByAdmin(ctx, current, action, admin);
    } catch (error) {
      // the user changed between the read and the write: decide again from a fresh read
      if (!(error instanceof ConcurrentWrite)) throw error;
      if (attempt >= 3) throw RosterError.conflict(`User ${userId} kept changing while this request was applied; retry`);
    }
  }
}

/** The body's choices as the rules take them, after checking every named lead and key (400 naming each bad one). */
async function checkedChoices(tenant: string, leaver: UserDoc, given: OffboardingBody): Promise<OffboardingChoices> {
  const choices: OffboardingChoices = {
    ...(given.successor !== undefined ? { successor: given.successor } : {}),
    ...(given.reassign?.reports ? { reports: new Map(Object.entries(given.reassign.reports)) } : {}),
    ...(given.reassign?.groups ? { groups: new Map(Object.entries(given.reassign.groups)) } : {}),
    ...(given.revokeApiKeys !== undefined ? { revokeApiKeys: given.revokeApiKeys } : {}),
  };
  const named = new Set<string>([...(choices.successor ? [choices.successor] : []), ...(choices.reports?.values() ?? []), ...(choices.groups?.values() ?? [])]);
  if (!named.size) return choices;
  const { tenant: tenantDoc } = await loadTenantSettings(tenant);
  const [facts, leads] = await Promise.all([loadOffboardingFacts(leaver, tenantDoc), findLiveUsers(tenant, [...named])]);
  const found = new Map(leads.map((lead) => [lead._id, userFacts(lead)]));
  const errors = checkOffboardingChoices(choices, {
    leaverId: leaver._id,
    reportIds: facts.reportIds,
    groupIdsLed: facts.groupIdsLed,
    leads: new Map([...named].map((id) => [id, found.get(id) ?? null])),
    managers: await managersAbove(tenant, [...found.values()]),
  });
  if (errors.length) throw invalidPayload(errors);
  return choices;
}

/** The reporting lines above `users`, read a level at a time (bounded: a line longer than this is cut, never looped). */
async function managersAbove(tenant: string, users: UserFacts[]): Promise<Map<string, string | null>> {
  const managers = new Map<string, string | null>(users.map((user) => [user.id, user.managerId]));
  let frontier = users.map((user) => user.managerId).filter((id): id is string => id !== null && !managers.has(id));
  for (let level = 0; frontier.length && level < MAX_REPORTING_LINE; level++) {
    const above = await findLiveUsers(tenant, [...new Set(frontier)]);
    for (const id of frontier) managers.set(id, null);
    for (const user of above) managers.set(user._id, userFacts(user).managerId);
    frontier = above.map((user) => userFacts(user).managerId).filter((id): id is string => id !== null && !managers.has(id));
  }
  return managers;
}

/** The choices as the audit entries record them: as given, without the reason (recorded beside them). */
function choicesOf(given: OffboardingBody): Record<string, unknown> {
  const { reason: _reason, ...choices } = given;
  return choices;
}

function recordOf(given: OffboardingBody): TransitionRecord {
  const choices = choicesOf(given);
  return { ...(given.reason !== undefined ? { reason: given.reason } : {}), ...(Object.keys(choices).length ? { choices } : {}) };
}

async function viewPlan(tenant: string, user: UserDoc, action: OffboardingAction, plan: OffboardingPlan | null, given: OffboardingBody, scope?: readonly string[]): Promise<OffboardingPlanView> {
  const [credentials, groupIds, seats] = await Promise.all([listCredentials(tenant, user._id), groupIdsOf(tenant, user._id), seatEffect(tenant, user._id, action, scope)]);
  const live = credentials.filter((credential) => !credential.revokedAt);
  const sessions = live.filter((credential) => credential.kind === "session").map((credential) => credential._id);
  const apiKeys = live.filter((credential) => credential.kind === "apiKey").map((credential) => credential._id);
  const head = { action, user: { id: user._id, userName: user.userName, active: user.active } };
  const tail = { seats, choices: choicesOf(given) };
  if (plan === null) {
    return { ...head, allowed: true, unchanged: true, refusals: [], inBulk: null, successor: null, reports: [], groups: [], memberships: { kept: groupIds, dropped: [] }, sessions: { revoked: [] }, apiKeys: { revoked: [], kept: apiKeys }, ...tail };
  }
  const userIds = [...new Set([...plan.reports.map((report) => report.id), ...(plan.successor ? [plan.successor.id] : [])])];
  const [users, groups] = await Promise.all([findLiveUsers(tenant, userIds, { userName: 1 }), findGroups(tenant, plan.groups.map((group) => group.id))]);
  const userName = new Map(users.map((doc) => [doc._id, doc.userName]));
  const displayName = new Map(groups.map((doc) => [doc._id, doc.displayName]));
  return {
    ...head,
    allowed: plan.refusals.length === 0,
    unchanged: false,
    refusals: plan.refusals.map(viewRefusal),
    inBulk: plan.inBulk && viewRefusal(plan.inBulk),
    successor: plan.successor && { ...plan.successor, userName: userName.get(plan.successor.id) ?? null },
    reports: plan.reports.map((report) => ({ id: report.id, userName: userName.get(report.id) ?? null, newManager: report.to, chosen: report.chosen })),
    groups: plan.groups.map((group) => ({ id: group.id, displayName: displayName.get(group.id) ?? null, newLeader: group.to, chosen: group.chosen })),
    memberships: plan.dropMemberships ? { kept: [], dropped: groupIds } : { kept: groupIds, dropped: [] },
    sessions: { revoked: sessions },
    apiKeys: plan.revokeApiKeys ? { revoked: apiKeys, kept: [] } : { revoked: [], kept: apiKeys },
    ...tail,
  };
}

function viewRefusal(refusal: Refusal): RefusalView {
  const { status, reason, detail, missing, pending } = refusal;
  return { status, reason, detail, ...(missing ? { missing } : {}), ...(pending ? { pending } : {}) };
}
