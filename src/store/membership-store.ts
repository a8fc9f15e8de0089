import { MembershipModel, UserModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

/** Ids per query or insert: keeps each command far below MongoDB's 16 MB limit for any list size. */
const CHUNK = 5000;

function membershipId(groupId: string, userId: string): string {
  return `${groupId}:${userId}`;
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
export async function addMembers(tenant: string, groupId: string, userIds: string[], now: Date): Promise<number> {
  let inserted = 0;
  for (const chunk of chunksOf([...new Set(userIds)])) {
    const docs = chunk.map((userId) => ({ _id: membershipId(groupId, userId), tenant, groupId, userId, created: now }));
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
  for await (const user of UserModel.find(query, { _id: 1 }).lean<{ _id: string }>().cursor()) if (wanted.has(user._id)) live.add(user._id);
  return live;
}

/** Which of `userIds` are members: one indexed lookup per chunk, never the whole member list. */
export async function membersAmong(tenant: string, groupId: string, userIds: string[]): Promise<Set<string>> {
  const members = new Set<string>();
  for (const chunk of chunksOf([...new Set(userIds)])) {
    const rows = await MembershipModel.find({ tenant, groupId, userId: { $in: chunk } }, { userId: 1, _id: 0 }).lean<Array<{ userId: string }>>().exec();
    for (const row of rows) members.add(row.userId);
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
  const rows = await MembershipModel.find({ tenant, userId }, { groupId: 1, _id: 0 }).lean<Array<{ groupId: string }>>().exec();
  return rows.map((row) => row.groupId);
}

/** Memberships of several users at once, for the `groups` attribute of a list page. */
export async function groupIdsOfUsers(tenant: string, userIds: string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  if (!userIds.length) return byUser;
  const rows = await MembershipModel.find({ tenant, userId: { $in: userIds } }, { groupId: 1, userId: 1, _id: 0 }).lean<Array<{ userId: string; groupId: string }>>().exec();
  for (const row of rows) {
    const groupIds = byUser.get(row.userId);
    if (groupIds) groupIds.push(row.groupId);
    else byUser.set(row.userId, [row.groupId]);
  }
  return byUser;
}

/** Drops every membership of a user; returns the groups it left (idempotent). */
export async function dropMembershipsOf(tenant: string, userId: string): Promise<string[]> {
  const groupIds = await groupIdsOf(tenant, userId);
  if (groupIds.length) await MembershipModel.deleteMany({ tenant, userId }).exec();
  return groupIds;
}
