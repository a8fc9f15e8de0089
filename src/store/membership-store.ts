import type { MembershipDoc } from "./documents";
import { findGroups } from "./group-store";
import { MembershipModel, UserModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

/** Ids per query or insert: keeps each command far below MongoDB's 16 MB limit for any list size. */
const CHUNK = 5000;

function membershipId(groupId: string, userId: string): string {
  return `${groupId}:${userId}`;
}

function membershipDoc(tenant: string, groupId: string, userId: string, created: Date, display: string | undefined): MembershipDoc {
  return { _id: membershipId(groupId, userId), tenant, groupId, userId, created, ...(display !== undefined ? { display } : {}) };
}

/** Gives a renamed group's memberships its new name (idempotent, so also a claim's roll-forward). */
export async function renameMemberships(tenant: string, groupId: string, display: string): Promise<void> {
  await MembershipModel.collection.updateMany({ tenant, groupId, display: { $ne: display } } as never, { $set: { display } } as never);
}

/**
 * Takes the group's name off its memberships before the group is deleted, so a deletion cut
 * short between the group and its memberships leaves memberships whose readers ask the (gone)
 * group, and name no group, instead of naming a deleted one.
 */
export async function forgetMembershipNames(tenant: string, groupId: string): Promise<void> {
  await MembershipModel.collection.updateMany({ tenant, groupId, display: { $exists: true } } as never, { $unset: { display: "" } } as never);
}

function chunksOf<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) chunks.push(items.slice(start, start + CHUNK));
  return chunks;
}

/**
 * Adds members one document each; an existing membership is left as is, so
 * concurrent adds of different members never lose one (SPEC §3 Group membership at scale).
 */
export async function addMembers(tenant: string, groupId: string, userIds: string[], now: Date, display?: string): Promise<number> {
  let inserted = 0;
  for (const chunk of chunksOf([...new Set(userIds)])) {
    const docs = chunk.map((userId) => membershipDoc(tenant, groupId, userId, now, display));
    try {
      inserted += (await MembershipModel.collection.insertMany(docs as never[], { ordered: false })).insertedCount;
    } catch (error) {
      // an unordered insert stores every document but those it reports; the error's insertedCount
      // cannot be trusted (mongo-java-server counts the whole batch), the write errors can
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      if (!Array.isArray(writeErrors) || !writeErrors.every(isDuplicateKey)) throw error;
      inserted += docs.length - writeErrors.length;
    }
  }
  return inserted;
}

/**
 * Adds members on behalf of one claimed group write (`claimToken`, recorded on each membership it
 * creates) and returns the ids it made members: those not already members, plus, when the write
 * is finished again after a crash, those an earlier attempt of the same write created. So a
 * write that only adds never needs to look its members up first (see writeGroup).
 */
export async function insertMembersFor(tenant: string, groupId: string, userIds: string[], now: Date, claimToken: string, again: boolean, display?: string): Promise<string[]> {
  const added: string[] = [];
  const unique = [...new Set(userIds)];
  for (const chunk of chunksOf(unique)) {
    const docs = chunk.map((userId) => ({ ...membershipDoc(tenant, groupId, userId, now, display), claim: claimToken }));
    const duplicates = new Set<number>();
    try {
      await MembershipModel.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const errors = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code?: number }>;
      if (!errors.length && !isDuplicateKey(error)) throw error;
      if (!errors.length || errors.some((inner) => inner.code !== 11000)) throw error;
      for (const inner of errors) duplicates.add(inner.index);
    }
    const existing = chunk.filter((_, index) => duplicates.has(index));
    for (const [index, userId] of chunk.entries()) if (!duplicates.has(index)) added.push(userId);
    if (again && existing.length) {
      const mine = await MembershipModel.collection.find({ _id: { $in: existing.map((userId) => membershipId(groupId, userId)) }, claim: claimToken } as never, { projection: { userId: 1 } }).toArray();
      for (const row of mine) added.push(String(row.userId));
    }
  }
  return added;
}

/**
 * Removes members by membership `_id`: FerretDB evaluates a large `$in` against every
 * document (10,000 ids took a minute), while an `_id` lookup is direct on both servers.
 */
export async function removeMembers(_tenant: string, groupId: string, userIds: string[]): Promise<number> {
  let removed = 0;
  for (const chunk of chunksOf(userIds)) {
    // the membership id names the group, whose id is unique across tenants: `_id` alone is the
    // lookup FerretDB answers directly
    const operations = chunk.map((userId) => ({ deleteOne: { filter: { _id: membershipId(groupId, userId) } } }));
    removed += (await MembershipModel.collection.bulkWrite(operations as never[], { ordered: false })).deletedCount;
  }
  return removed;
}

/** Above this many ids, one pass over a tenant's user ids costs less than an `$in` of them (see removeMembers). */
const SCAN_ABOVE = 1000;

/** Which of `userIds` are live users of the tenant, i.e. may be members (SPEC §3). */
export async function liveUserIdsAmong(tenant: string, userIds: string[]): Promise<Set<string>> {
  const wanted = new Set(userIds);
  const live = new Set<string>();
  if (!wanted.size) return live;
  const query = wanted.size > SCAN_ABOVE ? { tenant, deletedAt: null } : { tenant, deletedAt: null, _id: { $in: [...wanted] } };
  for await (const user of UserModel.collection.find(query as never, { projection: { _id: 1 } })) if (wanted.has(String(user._id))) live.add(String(user._id));
  return live;
}

/** Which of `userIds` are members: one indexed lookup per chunk, never the whole member list. */
export async function membersAmong(tenant: string, groupId: string, userIds: string[]): Promise<Set<string>> {
  const members = new Set<string>();
  for (const chunk of chunksOf([...new Set(userIds)])) {
    const rows = await MembershipModel.collection.find({ tenant, groupId, userId: { $in: chunk } } as never, { projection: { userId: 1, _id: 0 } }).toArray();
    for (const row of rows) members.add(String(row.userId));
  }
  return members;
}

export async function removeAllMembers(tenant: string, groupId: string): Promise<number> {
  const result = await MembershipModel.deleteMany({ tenant, groupId }).exec();
  return result.deletedCount;
}

export async function memberIdsOf(tenant: string, groupId: string): Promise<string[]> {
  const rows = await MembershipModel.find({ tenant, groupId }, { userId: 1, _id: 0 }).lean<Array<{ userId: string }>>().exec();
  return rows.map((row) => row.userId);
}

export async function groupIdsOf(tenant: string, userId: string): Promise<string[]> {
  // read with every GET of a user: the driver's call, without mongoose's query building
  const rows = (await MembershipModel.collection.find({ tenant, userId } as never, { projection: { groupId: 1, _id: 0 } }).toArray()) as unknown as Array<{ groupId: string }>;
  return rows.map((row) => row.groupId);
}

/** A group a user is a member of, as the user's `groups` attribute names it. */
export interface GroupOfUser {
  value: string;
  display: string;
}

/**
 * The groups of several users at once (a list page, or one user read): one round trip, the
 * memberships carrying their group's name. Memberships without it (written before the name was
 * copied, or of a group being deleted) get it from their groups in a second round trip, and name
 * no group when it is gone. (A `$lookup` would be one trip too, but mongo-java-server runs an
 * aggregation's `$match` without its index: 50 ms a user at 5,000 users.)
 */
export async function groupsOfUsers(tenant: string, userIds: string[]): Promise<Map<string, GroupOfUser[]>> {
  const byUser = new Map<string, GroupOfUser[]>();
  if (!userIds.length) return byUser;
  // read with every list page and filter lookup: the driver's call, without mongoose's query building
  // one user (a lookup's page): exactly the keys of the {tenant, userId} index, which mongo-java-server uses only then
  const users = userIds.length === 1 ? userIds[0] : { $in: userIds };
  const rows = (await MembershipModel.collection.find({ tenant, userId: users } as never, { projection: { groupId: 1, userId: 1, display: 1, _id: 0 } }).toArray()) as unknown as Array<Pick<MembershipDoc, "userId" | "groupId" | "display">>;
  const unnamed = [...new Set(rows.filter((row) => typeof row.display !== "string").map((row) => row.groupId))];
  const names = unnamed.length ? await groupNames(tenant, unnamed) : new Map<string, string>();
  for (const row of rows) {
    const display = typeof row.display === "string" ? row.display : names.get(row.groupId);
    if (display === undefined) continue;
    const groups = byUser.get(row.userId);
    if (groups) groups.push({ value: row.groupId, display });
    else byUser.set(row.userId, [{ value: row.groupId, display }]);
  }
  return byUser;
}

async function groupNames(tenant: string, groupIds: string[]): Promise<Map<string, string>> {
  const groups = await findGroups(tenant, groupIds, { displayName: 1 });
  return new Map(groups.map((group) => [group._id, group.displayName]));
}

/** Removes one user's memberships of these groups, by membership `_id` (see removeMembers), in one round trip per chunk. */
export async function removeUserFromGroups(userId: string, groupIds: string[]): Promise<number> {
  let removed = 0;
  for (const chunk of chunksOf(groupIds)) {
    const operations = chunk.map((groupId) => ({ deleteOne: { filter: { _id: membershipId(groupId, userId) } } }));
    removed += (await MembershipModel.collection.bulkWrite(operations as never[], { ordered: false })).deletedCount;
  }
  return removed;
}
