import { withDocumentLock } from "./document-lock";
import type { FilterQuery } from "mongoose";
import type { GroupDoc } from "./documents";
import { GroupModel } from "./models";
import { translateStoreError } from "./translate-store-error";

export async function findGroups(tenant: string, ids: string[]): Promise<GroupDoc[]> {
  if (!ids.length) return [];
  // hot reads (a user's groups) go to the driver: mongoose's query building cost more than the read
  // one id: exactly the keys of the {tenant, _id} index, which mongo-java-server uses only then
  return GroupModel.collection.find({ tenant, _id: ids.length === 1 ? ids[0] : { $in: ids } } as never).toArray() as unknown as Promise<GroupDoc[]>;
}

/** Inserts a new group, with the claim of its initial members' write when it has members. */
export async function insertGroup(doc: StoredGroup): Promise<void> {
  try {
    await GroupModel.collection.insertOne(doc as never);
  } catch (error) {
    throw translateStoreError(error, "displayName");
  }
}

/** The group attributes a write sets; members live in their own documents. */
export type GroupAttributes = Pick<GroupDoc, "displayName" | "displayNameKey" | "externalId" | "roster">;

/**
 * A membership write in progress on a group, stored on the group document so that
 * writers in other processes wait for it (see writeGroup in group-service).
 */
export interface MembersClaim {
  token: string;
  until: Date;
}

/** A stored group with the claim of a membership write in progress, if any. */
export type StoredGroup = GroupDoc & { membersClaim?: MembersClaim };

export async function findGroup(tenant: string, id: string): Promise<StoredGroup | null> {
  return GroupModel.collection.findOne({ tenant, _id: id } as never) as Promise<StoredGroup | null>;
}

/** The group's version still matches and no other writer's claim is live (an expired one is taken over). */
function unclaimedAt(tenant: string, id: string, expectedVersion: number, now: Date): Record<string, unknown> {
  return { tenant, _id: id, version: expectedVersion, $or: [{ membersClaim: { $exists: false } }, { "membersClaim.until": { $lte: now } }] };
}

/**
 * Compare-and-set of a group's version (RFC 7644 §3.14) that writes its own attributes
 * when given and, with `claim`, marks its memberships as being changed by this writer.
 * False when another write came first; a displayName clash is a 409 and writes nothing.
 */
export async function claimGroupWrite(
  tenant: string,
  id: string,
  expectedVersion: number,
  update: { attributes?: GroupAttributes; lastModified: Date; claim?: MembersClaim },
  now: Date,
): Promise<boolean> {
  const set: Record<string, unknown> = { lastModified: update.lastModified };
  const unset: Record<string, ""> = {};
  if (update.attributes) {
    const { displayName, displayNameKey, externalId, roster } = update.attributes;
    Object.assign(set, { displayName, displayNameKey });
    if (externalId === undefined) unset.externalId = "";
    else set.externalId = externalId;
    if (roster === undefined) unset.roster = "";
    else set.roster = roster;
  }
  if (update.claim) set.membersClaim = update.claim;
  else unset.membersClaim = "";
  return withDocumentLock(`groups:${id}`, async () => {
    try {
      const result = await GroupModel.updateOne(unclaimedAt(tenant, id, expectedVersion, now), { $set: set, $unset: unset, $inc: { version: 1 } }).exec();
      return result.matchedCount === 1;
    } catch (error) {
      throw translateStoreError(error, "displayName");
    }
  });
}

/** Ends a membership write: its member documents are all written. */
export async function releaseGroupClaim(tenant: string, id: string, token: string): Promise<void> {
  await withDocumentLock(`groups:${id}`, () => GroupModel.updateOne({ tenant, _id: id, "membersClaim.token": token }, { $unset: { membersClaim: "" } }).exec());
}

export async function touchGroups(tenant: string, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await GroupModel.updateMany({ tenant, _id: { $in: ids } }, { $inc: { version: 1 }, $set: { lastModified: now } }).exec();
}

/** Deletes a group if its version still matches and no membership write of another writer is live. */
export async function deleteGroupIfVersion(tenant: string, id: string, expectedVersion: number, now: Date): Promise<boolean> {
  return withDocumentLock(`groups:${id}`, async () => {
    const result = await GroupModel.deleteOne(unclaimedAt(tenant, id, expectedVersion, now)).exec();
    return result.deletedCount === 1;
  });
}

/** Ids of groups whose Roster-extension manager is `managerId` (SPEC §4 Deactivate 3). */
export async function findGroupIdsLedBy(tenant: string, managerId: string): Promise<string[]> {
  const groups = await GroupModel.find({ tenant, "roster.manager.value": managerId }, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
  return groups.map((group) => group._id);
}

/** Points a group still led by `from` at `to`, or clears its leader. */
export async function reassignGroupLeader(tenant: string, groupId: string, from: string, to: string | null, now: Date): Promise<boolean> {
  return withDocumentLock(`groups:${groupId}`, async () => {
    const update = to
      ? { $set: { "roster.manager": { value: to }, lastModified: now }, $inc: { version: 1 } }
      : { $unset: { "roster.manager": "" }, $set: { lastModified: now }, $inc: { version: 1 } };
    const result = await GroupModel.updateOne({ tenant, _id: groupId, "roster.manager.value": from }, update).exec();
    return result.modifiedCount === 1;
  });
}

export async function listGroups(query: FilterQuery<GroupDoc>, sort: Record<string, 1 | -1>, skip: number, limit: number, countQuery?: FilterQuery<GroupDoc>): Promise<{ docs: GroupDoc[]; total: number }> {
  const docs = limit > 0 ? ((await GroupModel.collection.find(query as never, { sort, skip, limit }).toArray()) as unknown as GroupDoc[]) : [];
  // a first page shorter than asked for is the whole result: no second pass over the collection
  // for totalResults (the lookup Okta and Entra send before every create)
  const complete = skip === 0 && docs.length < limit && countQuery === undefined;
  const total = complete ? docs.length : await GroupModel.collection.countDocuments((countQuery ?? query) as never);
  return { docs, total };
}
