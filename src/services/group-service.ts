import { RosterError, diffForAudit, type ScimJson } from "../domain";
import { groupDocToScim, scimToGroupFields } from "./group-resource";
import { withDocumentLock } from "../store/document-lock";
import type { GroupDoc } from "../store/documents";
import { claimGroupWrite, deleteGroupIfVersion, findGroup, insertGroup, releaseGroupClaim, type GroupAttributes, type StoredGroup } from "../store/group-store";
import { addMembers, liveUserIdsAmong, memberIdsOf, membersAmong, removeAllMembers, removeMembers } from "../store/membership-store";
import { newId } from "../store/new-id";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext } from "./context";
import { ConcurrentWrite } from "./user-service";

/** A membership change expressed as a delta, so a 100,000-member group is never rewritten (SPEC §3). */
export type MemberChange = { kind: "add"; userIds: string[] } | { kind: "remove"; userIds: string[] } | { kind: "removeAll" } | { kind: "replace"; userIds: string[] };

/** One write of a group: its own attributes (a PUT, a PATCH's after-image) and member changes, applied together or not at all. */
export interface GroupWrite {
  /** the group's attributes as they will be; undefined leaves them as they are */
  attributes?: GroupAttributes;
  /**
   * A PATCH's after-image of the attributes, computed from a fresh read inside the group's
   * serialization; `readVersion` is the version it read (a newer group means computing it again).
   */
  draft?: () => Promise<{ attributes?: GroupAttributes; readVersion?: number }>;
  memberChanges: MemberChange[];
}

/** Recomputations of a write that lost a race before it answers 409 (README: writes are optimistic). */
const WRITE_ATTEMPTS = 8;
/** How long a writer waits between looks at another process's live membership claim. */
const CLAIM_POLL_MS = 20;

export async function getGroup(tenant: string, id: string): Promise<GroupDoc> {
  const doc = await findGroup(tenant, id);
  if (!doc) throw RosterError.notFound(`Group ${id} not found`);
  return withoutClaim(doc);
}

/** POST /Groups: the group with its members, one audit entry (SPEC §3, §5). */
export async function createGroup(ctx: ActionContext, instance: ScimJson): Promise<GroupDoc> {
  const now = getRuntime().now();
  const attributes = scimToGroupFields(instance);
  const members = memberIdsIn(instance);
  await requireUsers(ctx.tenant, members);
  const doc: GroupDoc = { ...attributes, _id: newId(), tenant: ctx.tenant, version: 1, created: now, lastModified: now };
  const claim = members.length ? newClaim(now) : undefined;
  // the group document first: a displayName clash (409) leaves no membership behind
  await insertGroup(claim ? { ...doc, membersClaim: claim } : doc);
  await addMembers(ctx.tenant, doc._id, members, now);
  const change = diffForAudit({}, groupDocToScim(doc));
  if (members.length) change.after.members = members.map((value) => ({ value }));
  await recordAudit(ctx, "group.create", doc._id, change, now);
  if (claim) await releaseGroupClaim(ctx.tenant, doc._id, claim.token);
  return doc;
}

/** PUT /Groups/:id (RFC 7644 §3.5.1): attributes and, when `withMembers`, the member list replaced as one write. */
export async function replaceGroup(ctx: ActionContext, id: string, instance: ScimJson, options: { withMembers: boolean }): Promise<GroupDoc> {
  const memberChanges: MemberChange[] = options.withMembers ? [{ kind: "replace", userIds: memberIdsIn(instance) }] : [];
  return writeGroup(ctx, id, { attributes: scimToGroupFields(instance), memberChanges });
}

/** Refuses member changes that name users the tenant does not have, before anything is written. */
export async function checkMemberChanges(tenant: string, changes: MemberChange[]): Promise<void> {
  await requireUsers(tenant, idsToAdd(changes));
}

/**
 * Applies one write of a group all-or-nothing and linearizably (SPEC §3 Group membership at scale,
 * RFC 7644 §3.14): the final members and the audit entry are those of a serial order of the writes.
 *
 * Why this is enough, in one process and in several (on MongoDB):
 * - In one process, every write of a group runs under one per-group lock, so writes of a group are
 *   serial; FerretDB, whose filtered updates are not atomic, is only used in one process.
 * - Across processes, the group document is the point of serialization. A writer reads the group
 *   (version v) and the members it needs, checks everything (If-Match, user ids), and computes its
 *   member delta. Then, before any membership document changes, it compare-and-sets the group from
 *   v to v+1, writing the group's own attributes and a claim {token, until}, which MongoDB applies
 *   atomically. The compare-and-set only matches when no other writer's live claim is there. So a
 *   writer that wins has seen the member set left by the previous winner fully applied (that one
 *   released its claim only after its member documents and audit entry were written), and no
 *   writer can win until this one releases its claim. Its delta is therefore exactly what it
 *   changes, and the audit entries of a group, written inside the claim, are in that serial
 *   order. A lost compare-and-set (another writer, a leader reassignment) means recomputing from a
 *   fresh read, or 412 with If-Match. A compare-and-set alone, without the claim, would not do:
 *   a later writer could read the members while an earlier winner is still applying its delta, and
 *   a replace that removes U could then delete U after a concurrent add of U was answered 204.
 * - A writer that dies while holding a claim blocks its group until `until` (leaseMs); the next
 *   writer then takes the claim over. Its partial delta stays, without an audit entry: the one
 *   case not covered, as for any write cut off between two documents without transactions.
 * - The group document is written before the members, so a failure of the group's own write
 *   (displayName clash, stale version) leaves the members untouched; every input is checked first.
 * The audit `at` of a group's writes increases strictly along that order (at least 1 ms past the
 * group's lastModified), so ordering the audit by `at` replays the member deltas exactly.
 */
export async function writeGroup(ctx: ActionContext, id: string, write: GroupWrite): Promise<GroupDoc> {
  // member ids are checked once, before the first write; a user removed meanwhile is like one removed just after
  await requireUsers(ctx.tenant, idsToAdd(write.memberChanges));
  return withDocumentLock(`group-write:${id}`, async () => {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const current = await readUnclaimedGroup(ctx.tenant, id);
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
      let attributes = write.attributes;
      if (write.draft) {
        const draft = await write.draft();
        // another process wrote the group between the two reads: compute the after-image again
        if (draft.attributes && draft.readVersion !== current.version) continue;
        attributes = draft.attributes;
      }
      const clock = getRuntime().now();
      const now = new Date(Math.max(clock.getTime(), current.lastModified.getTime() + 1));
      const delta = await memberDelta(ctx.tenant, id, write.memberChanges);
      const claim = delta.added.length || delta.removed.length ? newClaim(clock) : undefined;
      if (!(await claimGroupWrite(ctx.tenant, id, current.version, { attributes, lastModified: now, claim }, clock))) {
        if (ctx.ifMatch !== undefined) throw RosterError.preconditionFailed();
        continue;
      }
      const next: GroupDoc = { ...(attributes ? withoutOptional(current) : withoutClaim(current)), ...attributes, version: current.version + 1, lastModified: now };
      const change = attributes ? diffForAudit(groupDocToScim(current), groupDocToScim(next)) : { before: {}, after: {} };
      try {
        await removeMembers(ctx.tenant, id, delta.removed);
        await addMembers(ctx.tenant, id, delta.added, now);
        if (delta.removed.length) change.before.members = delta.removed.map((value) => ({ value }));
        if (delta.added.length) change.after.members = delta.added.map((value) => ({ value }));
        if (Object.keys(change.after).length || Object.keys(change.before).length) await recordAudit(ctx, "group.update", id, change, now);
      } finally {
        if (claim) await releaseGroupClaim(ctx.tenant, id, claim.token);
      }
      return next;
    }
    throw new ConcurrentWrite();
  });
}

/** DELETE /Groups/:id: the group and its memberships; users untouched (SPEC §3). */
export async function removeGroup(ctx: ActionContext, id: string): Promise<void> {
  await withDocumentLock(`group-write:${id}`, async () => {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const current = await readUnclaimedGroup(ctx.tenant, id);
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
      const now = getRuntime().now();
      // no claim can be taken on a deleted group: its memberships are then nobody else's to change
      if (!(await deleteGroupIfVersion(ctx.tenant, id, current.version, now))) {
        if (ctx.ifMatch !== undefined) throw RosterError.preconditionFailed();
        continue;
      }
      await removeAllMembers(ctx.tenant, id);
      await recordAudit(ctx, "group.delete", id, { before: { displayName: current.displayName }, after: {} }, now);
      return;
    }
    throw new ConcurrentWrite();
  });
}

/** The group once no other process's membership write is in progress (an expired claim is taken over). */
async function readUnclaimedGroup(tenant: string, id: string): Promise<StoredGroup> {
  for (;;) {
    const doc = await findGroup(tenant, id);
    if (!doc) throw RosterError.notFound(`Group ${id} not found`);
    if (!doc.membersClaim || doc.membersClaim.until.getTime() <= getRuntime().now().getTime()) return doc;
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}

/**
 * The members a write removes and adds, from the member set as it is now: only the ids named
 * are looked up, unless a replace or remove-all needs the whole set (linear, with Sets).
 */
async function memberDelta(tenant: string, groupId: string, changes: MemberChange[]): Promise<{ added: string[]; removed: string[] }> {
  if (!changes.length) return { added: [], removed: [] };
  const whole = changes.some((change) => change.kind === "replace" || change.kind === "removeAll");
  const named: string[] = [];
  if (!whole) for (const change of changes) if (change.kind === "add" || change.kind === "remove") for (const userId of change.userIds) named.push(userId);
  const before = whole ? new Set(await memberIdsOf(tenant, groupId)) : await membersAmong(tenant, groupId, named);
  let after = new Set(before);
  for (const change of changes) {
    switch (change.kind) {
      case "add":
        for (const userId of change.userIds) after.add(userId);
        break;
      case "remove":
        for (const userId of change.userIds) after.delete(userId);
        break;
      case "removeAll":
        after = new Set();
        break;
      case "replace":
        after = new Set(change.userIds);
        break;
      default: {
        const unknown: never = change;
        throw new Error(`unknown member change ${JSON.stringify(unknown)}`);
      }
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  for (const userId of before) if (!after.has(userId)) removed.push(userId);
  for (const userId of after) if (!before.has(userId)) added.push(userId);
  return { added, removed };
}

function newClaim(now: Date): { token: string; until: Date } {
  return { token: newId(), until: new Date(now.getTime() + getRuntime().leaseMs) };
}

function withoutClaim(doc: StoredGroup): GroupDoc {
  const { membersClaim: _claim, ...group } = doc;
  return group;
}

/** A group without the attributes a write may leave out, so a PUT without externalId clears it. */
function withoutOptional(doc: StoredGroup): GroupDoc {
  const { membersClaim: _claim, externalId: _externalId, roster: _roster, ...group } = doc;
  return group;
}

function idsToAdd(changes: MemberChange[]): string[] {
  const ids: string[] = [];
  for (const change of changes) if (change.kind === "add" || change.kind === "replace") for (const userId of change.userIds) ids.push(userId);
  return ids;
}

function memberIdsIn(instance: ScimJson): string[] {
  const members = instance.members;
  if (!Array.isArray(members)) return [];
  const ids = new Set<string>();
  for (const member of members) {
    const value = String((member as ScimJson).value ?? "");
    if (value) ids.add(value);
  }
  return [...ids];
}

/** Missing ids named in an error detail; the rest are counted. */
const NAMED_MISSING = 10;

async function requireUsers(tenant: string, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  const live = await liveUserIdsAmong(tenant, userIds);
  const missing = [...new Set(userIds)].filter((userId) => !live.has(userId));
  if (!missing.length) return;
  const more = missing.length > NAMED_MISSING ? ` and ${missing.length - NAMED_MISSING} more` : "";
  throw RosterError.invalidValue(`members are not users of this tenant: ${missing.slice(0, NAMED_MISSING).join(", ")}${more}`);
}
