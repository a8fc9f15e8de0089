import { withDocumentLock } from "./document-lock";
import type { FilterQuery } from "mongoose";
import type { UserDoc } from "./documents";
import { UserModel } from "./models";
import { repointReferences } from "./repoint-references";
import { translateStoreError } from "./translate-store-error";

/** A live (not removed) user of a tenant. */
export async function findLiveUser(tenant: string, id: string): Promise<UserDoc | null> {
  // hot reads go to the driver: mongoose's query building cost more than the read on a lookup;
  // the query names exactly the keys of the {tenant, _id} index (see exactLookup), liveness is checked here
  const doc = (await UserModel.collection.findOne({ tenant, _id: id } as never)) as UserDoc | null;
  return doc && doc.deletedAt == null ? doc : null;
}

/** Any user of a tenant, removed ones included (erase, audit). */
export async function findAnyUser(tenant: string, id: string): Promise<UserDoc | null> {
  return UserModel.findOne({ tenant, _id: id }).lean<UserDoc>().exec();
}

export async function findLiveUsers(tenant: string, ids: string[], projection?: Record<string, 0 | 1>): Promise<UserDoc[]> {
  if (!ids.length) return [];
  return UserModel.find({ tenant, _id: { $in: ids }, deletedAt: null }, projection).lean<UserDoc[]>().exec();
}

export async function insertUser(doc: UserDoc): Promise<void> {
  try {
    await UserModel.collection.insertOne(doc as never);
  } catch (error) {
    throw translateStoreError(error, "userName");
  }
}

/** Hard delete, only for a user that was never visible as created (seat race, SPEC §4 Seats). */
export async function deleteUserHard(tenant: string, id: string): Promise<void> {
  await UserModel.deleteOne({ tenant, _id: id }).exec();
}

/**
 * Replaces a user only if it still has `expectedVersion` (optimistic concurrency,
 * RFC 7644 §3.14). Returns false when someone else wrote first.
 */
export async function replaceUserIfVersion(doc: UserDoc, expectedVersion: number): Promise<boolean> {
  return withDocumentLock(`users:${doc._id}`, async () => {
    try {
      const result = await UserModel.collection.replaceOne({ tenant: doc.tenant, _id: doc._id, version: expectedVersion, deletedAt: null } as never, doc as never);
      return result.matchedCount === 1;
    } catch (error) {
      throw translateStoreError(error, "userName");
    }
  });
}

/**
 * Moves a user past `expectedVersion` without changing it, so a commit write
 * still expecting that version can never land (SPEC §4 Crash safety: the sweep
 * fences a stalled commit before aborting its transition). False when the
 * version had moved already.
 */
export async function fenceUserVersion(tenant: string, id: string, expectedVersion: number): Promise<boolean> {
  return withDocumentLock(`users:${id}`, async () => {
    const result = await UserModel.collection.updateOne({ tenant, _id: id, version: expectedVersion } as never, { $inc: { version: 1 } } as never);
    return result.matchedCount === 1;
  });
}

export async function countLiveUsers(tenant: string): Promise<number> {
  return UserModel.countDocuments({ tenant, deletedAt: null }).exec();
}

/** Ids of live users whose enterprise manager is `managerId` (SPEC §4 Deactivate 3). */
export async function findReportIds(tenant: string, managerId: string): Promise<string[]> {
  const reports = await UserModel.find({ tenant, "enterprise.manager.value": managerId, deletedAt: null }, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
  return reports.map((report) => report._id);
}

export interface UserPage {
  docs: UserDoc[];
  total: number;
}

/** One page of a filtered, sorted listing, evaluated by the database (SPEC §3). */
export async function listUsers(query: FilterQuery<UserDoc>, sort: Record<string, 1 | -1>, skip: number, limit: number, countQuery?: FilterQuery<UserDoc>): Promise<UserPage> {
  const lookup = countQuery === undefined ? exactLookup(query, sort) : undefined;
  if (lookup) {
    const page = await lookUpUsers(lookup, skip, limit);
    if (page) return page;
  }
  const docs = limit > 0 ? ((await UserModel.collection.find(query as never, { sort, skip, limit }).toArray()) as unknown as UserDoc[]) : [];
  // a first page shorter than asked for is the whole result: no second pass over the collection
  // for totalResults (the lookup Okta and Entra send before every create)
  const complete = skip === 0 && docs.length < limit && countQuery === undefined;
  const total = complete ? docs.length : await UserModel.collection.countDocuments((countQuery ?? query) as never);
  return { docs, total };
}

/** Keys with a `{tenant, key}` index that filters look users up by (`userName`, `externalId`, `emails.value`, `id eq`). */
const LOOKUP_KEYS = new Set(["userNameKey", "externalId", "emailKeys", "_id"]);
/** More matches than this for one key value: the database pages them itself. */
const LOOKUP_LIMIT = 1000;

interface ExactLookup {
  tenant: string;
  key: string;
  value: string;
  order: 1 | -1;
}

/**
 * A filter of the shape `{$and: [{tenant, deletedAt: null}, {<indexed key>: "value"}]}` sorted by
 * `_id`: the lookups Okta and Entra send before every create. mongo-java-server uses an index
 * only for a query on exactly its keys (`$and`, or `deletedAt` beside them, scans the
 * collection: 50 ms instead of 2 ms at 50,000 users), MongoDB uses it either way; so the
 * database is asked for `{tenant, key: value}` and liveness, order and paging are applied here.
 */
function exactLookup(query: FilterQuery<UserDoc>, sort: Record<string, 1 | -1>): ExactLookup | undefined {
  const sortKeys = Object.keys(sort);
  if (sortKeys.length !== 1 || sortKeys[0] !== "_id") return undefined;
  const parts = (query as { $and?: unknown }).$and;
  if (Object.keys(query).length !== 1 || !Array.isArray(parts) || parts.length !== 2) return undefined;
  const [base, condition] = parts as Array<Record<string, unknown>>;
  if (Object.keys(base).length !== 2 || typeof base.tenant !== "string" || base.deletedAt !== null) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1 || !LOOKUP_KEYS.has(keys[0]) || typeof condition[keys[0]] !== "string") return undefined;
  return { tenant: base.tenant, key: keys[0], value: condition[keys[0]] as string, order: sort._id };
}

/** The page of an exact lookup; undefined when the key value matches too many users to sort here. */
async function lookUpUsers(lookup: ExactLookup, skip: number, limit: number): Promise<UserPage | undefined> {
  const found = (await UserModel.collection.find({ tenant: lookup.tenant, [lookup.key]: lookup.value } as never, { limit: LOOKUP_LIMIT + 1 }).toArray()) as unknown as UserDoc[];
  if (found.length > LOOKUP_LIMIT) return undefined;
  const live = found.filter((doc) => doc.deletedAt == null).sort((a, b) => (a._id < b._id ? -lookup.order : a._id > b._id ? lookup.order : 0));
  return { docs: limit > 0 ? live.slice(skip, skip + limit) : [], total: live.length };
}

/**
 * Active, live users whose leave date has passed, across tenants (SPEC §4 Leave
 * date), a page at a time in id order after `afterId`. One query per page
 * whatever the number of tenants; the range on `tenant` lets MongoDB use the
 * tenant-first leave-date index. Users whose deactivation was refused stay
 * due, so a sweep pages past them rather than re-reading the first page.
 */
export async function findUsersDueToLeave(now: Date, limit: number, afterId?: string): Promise<UserDoc[]> {
  const filter: FilterQuery<UserDoc> = { tenant: { $gt: "" }, active: true, deletedAt: null, "roster.leaveDate": { $lte: now } };
  if (afterId !== undefined) filter._id = { $gt: afterId };
  return UserModel.find(filter, { _id: 1, tenant: 1 }).sort({ _id: 1 }).limit(limit).lean<UserDoc[]>().exec();
}

/** Records that a leave-date refusal was audited for this leave date. */
export async function markLeaveDateRefused(tenant: string, id: string, leaveDate: Date): Promise<boolean> {
  return withDocumentLock(`users:${id}`, async () => {
    const result = await UserModel.updateOne({ tenant, _id: id, leaveDateRefusedFor: { $ne: leaveDate } }, { $set: { leaveDateRefusedFor: leaveDate } }).exec();
    return result.modifiedCount === 1;
  });
}

/** Clears the enterprise manager of reports still pointing at `from`, or points them at `to`: one round trip per chunk. */
export async function reassignReports(tenant: string, changes: Array<{ reportId: string; from: string; to: string | null }>, now: Date): Promise<void> {
  await repointReferences(UserModel.collection, "users", "enterprise.manager", tenant, changes.map(({ reportId: id, from, to }) => ({ id, from, to })), now);
}

/** Replaces a user, removed or not, only if it still has `expectedVersion` (erase, SPEC §4 Erase). */
export async function replaceAnyUserIfVersion(doc: UserDoc, expectedVersion: number): Promise<boolean> {
  return withDocumentLock(`users:${doc._id}`, async () => {
    try {
      const result = await UserModel.collection.replaceOne({ tenant: doc.tenant, _id: doc._id, version: expectedVersion } as never, doc as never);
      return result.matchedCount === 1;
    } catch (error) {
      throw translateStoreError(error, "userName");
    }
  });
}

/** Whether a tenant has a live user with this userName, case-insensitively (one `{tenant, userNameKey}` index lookup). */
export async function hasLiveUserNamed(tenant: string, userNameKey: string): Promise<boolean> {
  const doc = (await UserModel.collection.findOne({ tenant, userNameKey } as never, { projection: { deletedAt: 1 } })) as { deletedAt?: Date | null } | null;
  return doc !== null && doc.deletedAt == null;
}
