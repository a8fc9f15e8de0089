import { RosterError, diffForAudit, type ScimJson } from "../domain";
import { groupDocToScim, scimToGroupFields } from "./group-resource";
import type { GroupDoc } from "../store/documents";
import { deleteGroup, findGroup, insertGroup, replaceGroupIfVersion, touchGroup } from "../store/group-store";
import { addMembers, memberIdsOf, removeAllMembers, removeMembers } from "../store/membership-store";
import { newId } from "../store/new-id";
import { findLiveUsers } from "../store/user-store";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext } from "./context";
import { ConcurrentWrite } from "./user-service";

/** A membership change expressed as a delta, so a 100,000-member group is never rewritten (SPEC §3). */
export type MemberChange = { kind: "add"; userIds: string[] } | { kind: "remove"; userIds: string[] } | { kind: "removeAll" } | { kind: "replace"; userIds: string[] };

export async function getGroup(tenant: string, id: string): Promise<GroupDoc> {
  const doc = await findGroup(tenant, id);
  if (!doc) throw RosterError.notFound(`Group ${id} not found`);
  return doc;
}

/** POST /Groups. */
export async function createGroup(ctx: ActionContext, instance: ScimJson): Promise<GroupDoc> {
  const now = getRuntime().now();
  const fields = scimToGroupFields(instance);
  const members = memberIdsIn(instance);
  await requireUsers(ctx.tenant, members);
  const doc: GroupDoc = { ...fields, _id: newId(), tenant: ctx.tenant, version: 1, created: now, lastModified: now };
  await insertGroup(doc);
  await addMembers(ctx.tenant, doc._id, members, now);
  const change = diffForAudit({}, groupDocToScim(doc));
  if (members.length) change.after.members = members.map((value) => ({ value }));
  await recordAudit(ctx, "group.create", doc._id, change, now);
  return doc;
}

/**
 * PUT /Groups/:id and a PATCH's after-image of the group's own attributes.
 * `members` is applied as a delta only when the instance carries it.
 */
export async function replaceGroup(ctx: ActionContext, id: string, instance: ScimJson, options: { readVersion?: number; withMembers: boolean }): Promise<GroupDoc> {
  const current = await getGroup(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
  if (options.readVersion !== undefined && options.readVersion !== current.version) throw new ConcurrentWrite();
  const now = getRuntime().now();
  const fields = scimToGroupFields(instance);
  const next: GroupDoc = { ...fields, _id: id, tenant: ctx.tenant, version: current.version + 1, created: current.created, lastModified: now };
  const change = diffForAudit(groupDocToScim(current), groupDocToScim(next));
  if (!(await replaceGroupIfVersion(next, current.version))) throw ctx.ifMatch !== undefined ? RosterError.preconditionFailed() : new ConcurrentWrite();
  if (options.withMembers) {
    const delta = await applyMemberChanges(ctx.tenant, id, [{ kind: "replace", userIds: memberIdsIn(instance) }], now);
    await dropIfGroupGone(ctx.tenant, id);
    Object.assign(change.before, delta.before);
    Object.assign(change.after, delta.after);
  }
  if (Object.keys(change.after).length || Object.keys(change.before).length) await recordAudit(ctx, "group.update", id, change, now);
  return next;
}

/** PATCH membership operations applied one document per member (SPEC §3 Group membership at scale). */
export async function changeMembers(ctx: ActionContext, id: string, changes: MemberChange[]): Promise<GroupDoc> {
  const current = await getGroup(ctx.tenant, id);
  const now = getRuntime().now();
  if (ctx.ifMatch !== undefined && !(await touchGroup(ctx.tenant, id, now, ctx.ifMatch))) throw RosterError.preconditionFailed();
  const added = changes.flatMap((change) => (change.kind === "add" ? change.userIds : []));
  await requireUsers(ctx.tenant, added);
  const delta = await applyMemberChanges(ctx.tenant, id, changes, now);
  await dropIfGroupGone(ctx.tenant, id);
  if (ctx.ifMatch === undefined) await touchGroup(ctx.tenant, id, now);
  if (Object.keys(delta.after).length || Object.keys(delta.before).length) await recordAudit(ctx, "group.update", id, delta, now);
  return { ...current, version: current.version + 1, lastModified: now };
}

/** Refuses member changes that name users the tenant does not have, before anything is written. */
export async function checkMemberChanges(tenant: string, changes: MemberChange[]): Promise<void> {
  await requireUsers(tenant, changes.flatMap((change) => (change.kind === "add" || change.kind === "replace" ? change.userIds : [])));
}

/** DELETE /Groups/:id: the group and its memberships; users untouched (SPEC §3). */
export async function removeGroup(ctx: ActionContext, id: string): Promise<void> {
  const current = await getGroup(ctx.tenant, id);
  if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
  const now = getRuntime().now();
  if (!(await deleteGroup(ctx.tenant, id))) throw RosterError.notFound(`Group ${id} not found`);
  await removeAllMembers(ctx.tenant, id);
  await recordAudit(ctx, "group.delete", id, { before: { displayName: current.displayName }, after: {} }, now);
}

/**
 * A delete that raced this request removed the group before our members were
 * written: a delete marks the group gone before dropping its memberships, and
 * we check after writing ours, so one of the two always drops them.
 */
async function dropIfGroupGone(tenant: string, id: string): Promise<void> {
  if (await findGroup(tenant, id)) return;
  await removeAllMembers(tenant, id);
  throw RosterError.notFound(`Group ${id} not found`);
}

/** Members recorded in audit entries are only the ones that changed: a big group is never copied. */
async function applyMemberChanges(tenant: string, groupId: string, changes: MemberChange[], now: Date) {
  const added: string[] = [];
  const removed: string[] = [];
  for (const change of changes) {
    if (change.kind === "add") {
      if (await addMembers(tenant, groupId, change.userIds, now)) added.push(...change.userIds);
    } else if (change.kind === "remove") {
      if (await removeMembers(tenant, groupId, change.userIds)) removed.push(...change.userIds);
    } else {
      const before = await memberIdsOf(tenant, groupId);
      const wanted = new Set(change.kind === "replace" ? change.userIds : []);
      const leaving = before.filter((userId) => !wanted.has(userId));
      const joining = [...wanted].filter((userId) => !before.includes(userId));
      if (change.kind === "replace") await requireUsers(tenant, joining);
      await removeMembers(tenant, groupId, leaving);
      await addMembers(tenant, groupId, joining, now);
      removed.push(...leaving);
      added.push(...joining);
    }
  }
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (removed.length) before.members = removed.map((value) => ({ value }));
  if (added.length) after.members = added.map((value) => ({ value }));
  return { before, after };
}

function memberIdsIn(instance: ScimJson): string[] {
  const members = instance.members;
  if (!Array.isArray(members)) return [];
  return [...new Set(members.map((member) => String((member as ScimJson).value ?? "")).filter(Boolean))];
}

async function requireUsers(tenant: string, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  const unique = [...new Set(userIds)];
  const found = await findLiveUsers(tenant, unique, { _id: 1 });
  if (found.length !== unique.length) {
    const known = new Set(found.map((user) => user._id));
    const missing = unique.filter((userId) => !known.has(userId));
    throw RosterError.invalidValue(`members are not users of this tenant: ${missing.join(", ")}`);
  }
}
