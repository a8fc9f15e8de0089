import { withDocumentLock } from "./document-lock";
import type { FilterQuery } from "mongoose";
import type { GroupDoc } from "./documents";
import { GroupModel } from "./models";
import { translateStoreError } from "./translate-store-error";

export async function findGroup(tenant: string, id: string): Promise<GroupDoc | null> {
  return GroupModel.findOne({ tenant, _id: id }).lean<GroupDoc>().exec();
}

export async function findGroups(tenant: string, ids: string[]): Promise<GroupDoc[]> {
  if (!ids.length) return [];
  return GroupModel.find({ tenant, _id: { $in: ids } }).lean<GroupDoc[]>().exec();
}

export async function insertGroup(doc: GroupDoc): Promise<void> {
  try {
    await GroupModel.collection.insertOne(doc as never);
  } catch (error) {
    throw translateStoreError(error, "displayName");
  }
}

/** Replaces a group's attributes only if its version still matches (RFC 7644 §3.14). */
export async function replaceGroupIfVersion(doc: GroupDoc, expectedVersion: number): Promise<boolean> {
  return withDocumentLock(`groups:${doc._id}`, async () => {
    try {
      const result = await GroupModel.collection.replaceOne({ tenant: doc.tenant, _id: doc._id, version: expectedVersion } as never, doc as never);
      return result.matchedCount === 1;
    } catch (error) {
      throw translateStoreError(error, "displayName");
    }
  });
}

/**
 * Bumps a group's version after a membership change. With `expectedVersion`
 * it is a compare-and-set that fails when another write came first.
 */
export async function touchGroup(tenant: string, id: string, now: Date, expectedVersion?: number): Promise<boolean> {
  return withDocumentLock(`groups:${id}`, async () => {
    const filter: Record<string, unknown> = { tenant, _id: id };
    if (expectedVersion !== undefined) filter.version = expectedVersion;
    const result = await GroupModel.updateOne(filter, { $inc: { version: 1 }, $set: { lastModified: now } }).exec();
    return result.matchedCount === 1;
  });
}

export async function touchGroups(tenant: string, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await GroupModel.updateMany({ tenant, _id: { $in: ids } }, { $inc: { version: 1 }, $set: { lastModified: now } }).exec();
}

export async function deleteGroup(tenant: string, id: string): Promise<boolean> {
  const result = await GroupModel.deleteOne({ tenant, _id: id }).exec();
  return result.deletedCount === 1;
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
  const docs = limit > 0 ? await GroupModel.find(query).sort(sort).skip(skip).limit(limit).lean<GroupDoc[]>().exec() : [];
  // a first page shorter than asked for is the whole result: no second pass over the collection
  // for totalResults (the lookup Okta and Entra send before every create)
  const complete = skip === 0 && docs.length < limit && countQuery === undefined;
  const total = complete ? docs.length : await GroupModel.countDocuments(countQuery ?? query).exec();
  return { docs, total };
}
