import { auditActor } from "../domain/audit-actor";
import { RosterError, diffForAudit, type ScimJson } from "../domain";
import { groupDocToScim, scimToGroupFields } from "./group-resource";
import { withDocumentLock } from "../store/document-lock";
import type { GroupDoc } from "../store/documents";
import { appendAudit, appendAuditEntries, decodeChange, encodeChange, type AuditDoc } from "../store/audit-store";
import {
  claimGroupWrite,
  claimGroupWrites,
  deleteGroupIfVersion,
  findGroup,
  findGroupsWithExpiredClaims,
  findStoredGroups,
  insertGroup,
  releaseGroupClaim,
  releaseGroupClaims,
  type GroupAttributes,
  type MembersClaim,
  type StoredGroup,
} from "../store/group-store";
import {
  addMembers,
  forgetMembershipNames,
  groupIdsOf,
  insertMembersFor,
  liveUserIdsAmong,
  memberIdsOf,
  membersAmong,
  removeAllMembers,
  removeMembers,
  removeUserFromGroups,
  renameMemberships,
} from "../store/membership-store";
import { newId } from "../store/new-id";
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
  const claim = { ...newClaim(ctx, now, "group.create", diffForAudit({}, groupDocToScim(doc)), { added: members, removed: [] }), display: doc.displayName };
  // the group document first, with the whole write as its claim: a displayName clash (409) leaves
  // nothing behind, and a crash leaves a claim that the next writer or the sweep finishes
  await insertGroup({ ...doc, membersClaim: claim });
  await finishClaimedWrite(ctx.tenant, doc._id, claim);
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
 * - The claim records the whole write: the member delta and its audit entry (whose id is the
 *   claim's token). A writer that dies while holding a claim blocks its group until `until`
 *   (leaseMs); whoever then finds the expired claim (the next writer, or the sweep) applies the
 *   recorded delta again and writes the entry (both idempotent) before releasing it. So seen
 *   from outside a write happens whole, audited once, or (cut off before its claim) not at all.
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
      const adding = onlyAdds(write.memberChanges);
      const delta = adding ? { added: [], removed: [] } : await memberDelta(ctx.tenant, id, write.memberChanges);
      const next: GroupDoc = { ...(attributes ? withoutOptional(current) : withoutClaim(current)), ...attributes, version: current.version + 1, lastModified: now };
      const change = attributes ? diffForAudit(groupDocToScim(current), groupDocToScim(next)) : { before: {}, after: {} };
      const changes = adding?.length || delta.added.length || delta.removed.length || Object.keys(change.after).length || Object.keys(change.before).length;
      const claim = changes ? newClaim(ctx, now, "group.update", change, delta) : undefined;
      if (claim && adding?.length) claim.adding = adding;
      if (claim) Object.assign(claim, { display: next.displayName, renamed: next.displayName !== current.displayName });
      if (!(await claimGroupWrite(ctx.tenant, id, current.version, { attributes, lastModified: now, claim }, clock))) {
        if (ctx.ifMatch !== undefined) throw RosterError.preconditionFailed();
        continue;
      }
      if (claim) await finishClaimedWrite(ctx.tenant, id, claim);
      return next;
    }
    throw new ConcurrentWrite();
  });
}

/**
 * Drops a leaver's memberships through the group write protocol (SPEC §4 Deactivate 4, Remove):
 * each group left gets its version bump and its `group.update` entry, written under the group's
 * claim like any member write, so a concurrent replace can neither lose the drop nor bring the
 * membership back unaudited. A constant number of round trips however many groups: one claim,
 * one delete, one audit insert and one release for all of them. Ids are derived from `stepId`
 * and each group's version, so a resumed cascade never audits a group twice. Returns false when
 * some group stayed claimed by another writer for `attempts` looks (the caller retries later).
 */
export async function dropUserMemberships(ctx: ActionContext, userId: string, stepId: string, attempts = WRITE_ATTEMPTS * 4): Promise<boolean> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const groupIds = await groupIdsOf(ctx.tenant, userId);
    if (!groupIds.length) return true;
    const groups = await findStoredGroups(ctx.tenant, groupIds);
    if (groups.length < groupIds.length) {
      // memberships of a group deleted meanwhile (or by a delete cut short): nobody's to claim or audit
      const found = new Set(groups.map((group) => group._id));
      await removeUserFromGroups(userId, groupIds.filter((groupId) => !found.has(groupId)));
    }
    if (!groups.length) return true;
    const clock = getRuntime().now();
    const free: StoredGroup[] = [];
    for (const group of groups) {
      if (!group.membersClaim) free.push(group);
      else if (group.membersClaim.until.getTime() <= clock.getTime()) await rollForward(ctx.tenant, group._id, group.membersClaim);
    }
    if (free.length) {
      // one time for the whole drop, later than each group's last write (the audit order of each group)
      const now = new Date(Math.max(clock.getTime(), ...free.map((group) => group.lastModified.getTime() + 1)));
      const claims = free.map((group) => ({
        groupId: group._id,
        version: group.version,
        claim: { ...newClaim({ ...ctx }, now, "group.update", { before: {}, after: {} }, { added: [], removed: [userId] }, userId), token: `${stepId}:${group._id}:${group.version + 1}` },
      }));
      const held = await claimGroupWrites(ctx.tenant, claims, now, clock);
      const mine = claims.filter((claim) => held.has(claim.groupId));
      if (mine.length) {
        await removeUserFromGroups(userId, mine.map((claim) => claim.groupId));
        await appendAuditEntries(mine.map((claim) => claimAuditEntry(ctx.tenant, claim.groupId, claim.claim)!));
        await releaseGroupClaims(ctx.tenant, mine.map((claim) => ({ groupId: claim.groupId, token: claim.claim.token })));
      }
      if (mine.length === groups.length) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
  return false;
}

/** Finishes membership writes whose writer died (their claim expired); returns how many (the sweep). */
export async function finishAbandonedGroupWrites(limit: number): Promise<number> {
  const groups = await findGroupsWithExpiredClaims(getRuntime().now(), limit);
  for (const group of groups) await rollForward(group.tenant, group._id, group.membersClaim!);
  return groups.length;
}

/** DELETE /Groups/:id: the group and its memberships; users untouched (SPEC §3). */
export async function removeGroup(ctx: ActionContext, id: string): Promise<void> {
  await withDocumentLock(`group-write:${id}`, async () => {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const current = await readUnclaimedGroup(ctx.tenant, id);
      if (ctx.ifMatch !== undefined && ctx.ifMatch !== current.version) throw RosterError.preconditionFailed();
      const now = getRuntime().now();
      await forgetMembershipNames(ctx.tenant, id);
      // no claim can be taken on a deleted group: its memberships are then nobody else's to change
      if (!(await deleteGroupIfVersion(ctx.tenant, id, current.version, now))) {
        if (ctx.ifMatch !== undefined) throw RosterError.preconditionFailed();
        continue;
      }
      await removeAllMembers(ctx.tenant, id);
      await appendAudit({ _id: newId(), tenant: ctx.tenant, at: now, ...auditActor(ctx), action: "group.delete", target: id, before: { displayName: current.displayName }, after: {}, requestId: ctx.requestId });
      return;
    }
    throw new ConcurrentWrite();
  });
}

/** The group once no other membership write is in progress (an expired claim is finished first). */
async function readUnclaimedGroup(tenant: string, id: string): Promise<StoredGroup> {
  for (;;) {
    const doc = await findGroup(tenant, id);
    if (!doc) throw RosterError.notFound(`Group ${id} not found`);
    if (!doc.membersClaim) return doc;
    if (doc.membersClaim.until.getTime() <= getRuntime().now().getTime()) await rollForward(tenant, id, doc.membersClaim);
    else await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}

/** A claim recording one write: its member delta and its audit entry (see MembersClaim). */
function newClaim(ctx: ActionContext, at: Date, action: string, change: { before: Record<string, unknown>; after: Record<string, unknown> }, delta: { added: string[]; removed: string[] }, cause?: string): MembersClaim {
  const audit = { action, ...auditActor(ctx), requestId: ctx.requestId, before: encodeChange(change.before)!, after: encodeChange(change.after)!, ...(cause ? { cause } : {}) };
  return { token: newId(), until: new Date(getRuntime().now().getTime() + getRuntime().leaseMs), at, added: delta.added, removed: delta.removed, audit };
}

/** The audit entry a claim records, its member lists restored; none when the write changes nothing. */
function claimAuditEntry(tenant: string, groupId: string, claim: MembersClaim): AuditDoc | undefined {
  if (!claim.audit) return undefined;
  const before = decodeChange(claim.audit.before) ?? {};
  const after = decodeChange(claim.audit.after) ?? {};
  if (claim.removed.length) before.members = claim.removed.map((value) => ({ value }));
  if (claim.added.length) after.members = claim.added.map((value) => ({ value }));
  if (!Object.keys(before).length && !Object.keys(after).length) return undefined;
  const { action, requestId, cause } = claim.audit;
  return { _id: claim.token, tenant, at: claim.at, ...auditActor(claim.audit), action, target: groupId, ...(cause ? { cause } : {}), before, after, requestId };
}

/**
 * Applies a claimed write's members and audit entry, then releases the claim; idempotent, so also
 * the roll-forward. A failure is retried once at once; after a second one the claim stays, and
 * the group's next writer or the sweep finishes the write once the claim expires.
 */
async function finishClaimedWrite(tenant: string, groupId: string, claim: MembersClaim): Promise<void> {
  try {
    await applyClaimedWrite(tenant, groupId, claim);
  } catch {
    await applyClaimedWrite(tenant, groupId, claim, true);
  }
}

async function applyClaimedWrite(tenant: string, groupId: string, claim: MembersClaim, again = false): Promise<void> {
  await removeMembers(tenant, groupId, claim.removed);
  getRuntime().injectFault?.("group-members", groupId);
  await addMembers(tenant, groupId, claim.added, claim.at, claim.display);
  const added = claim.adding ? await insertMembersFor(tenant, groupId, claim.adding, claim.at, claim.token, again, claim.display) : [];
  if (claim.renamed && claim.display !== undefined) await renameMemberships(tenant, groupId, claim.display);
  getRuntime().injectFault?.("group-audit", groupId);
  const entry = claimAuditEntry(tenant, groupId, added.length ? { ...claim, added: [...claim.added, ...added] } : claim);
  if (entry) await appendAudit(entry);
  await releaseGroupClaim(tenant, groupId, claim.token);
}

/** Finishes the write of a writer that died holding the group's claim (its claim expired). */
async function rollForward(tenant: string, groupId: string, claim: MembersClaim): Promise<void> {
  await applyClaimedWrite(tenant, groupId, claim, true);
}

/** The ids a write adds when it only adds members (the common IdP PATCH), else undefined. */
function onlyAdds(changes: MemberChange[]): string[] | undefined {
  if (!changes.length || changes.some((change) => change.kind !== "add")) return undefined;
  const ids = new Set<string>();
  for (const change of changes) if (change.kind === "add") for (const userId of change.userIds) ids.add(userId);
  return [...ids];
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
