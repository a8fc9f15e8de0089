import { MembershipModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

function membershipId(groupId: string, userId: string): string {
  return `${groupId}:${userId}`;
}

/**
 * Adds members one document each; an existing membership is left as is, so
 * concurrent adds of different members never lose one (SPEC §3 Group membership at scale).
 */
export async function addMembers(tenant: string, groupId: string, userIds: string[], now: Date): Promise<number> {
  if (!userIds.length) return 0;
  const docs = [...new Set(userIds)].map((userId) => ({ _id: membershipId(groupId, userId), tenant, groupId, userId, created: now }));
  try {
    const result = await MembershipModel.collection.insertMany(docs as never[], { ordered: false });
    return result.insertedCount;
  } catch (error) {
    if (isDuplicateKey(error) || (error as { writeErrors?: unknown[] }).writeErrors) {
      const inserted = (error as { result?: { insertedCount?: number }; insertedCount?: number }).insertedCount;
      return inserted ?? 0;
    }
    throw error;
  }
}

export async function removeMembers(tenant: string, groupId: string, userIds: string[]): Promise<number> {
  if (!userIds.length) return 0;
  const result = await MembershipModel.deleteMany({ tenant, groupId, userId: { $in: userIds } }).exec();
  return result.deletedCount;
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
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.groupId]);
  return byUser;
}

/** Drops every membership of a user; returns the groups it left (idempotent). */
export async function dropMembershipsOf(tenant: string, userId: string): Promise<string[]> {
  const groupIds = await groupIdsOf(tenant, userId);
  if (groupIds.length) await MembershipModel.deleteMany({ tenant, userId }).exec();
  return groupIds;
}
