import { withDocumentLock, withDocumentLocks } from "./document-lock";
import type { FilterQuery } from "mongoose";
import type { GroupDoc } from "./documents";
import { GroupModel } from "./models";
import { repointReferences } from "./repoint-references";
import { translateStoreError } from "./translate-store-error";

/** Groups of a tenant by id, whole or with only the `projection`'s fields (and `_id`). */
export async function findGroups(tenant: string, ids: string[], projection?: Partial<Record<keyof GroupDoc, 1>>): Promise<GroupDoc[]> {
  if (!ids.length) return [];
  // hot reads (a user's groups) go to the driver: mongoose's query building cost more than the read
  // one id: exactly the keys of the {tenant, _id} index, which mongo-java-server uses only then
  return GroupModel.collection.find({ tenant, _id: ids.length === 1 ? ids[0] : { $in: ids } } as never, projection && { projection }).toArray() as unknown as Promise<GroupDoc[]>;
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
 * writers in other processes wait for it (see writeGroup in group-service). It records
 * the write's whole intent: the member delta and its audit entry, so whoever takes an
 * expired claim over can finish the write (idempotently) instead of leaving members
 * changed without an audit entry.
 */
export interface MembersClaim {
  token: string;
  until: Date;
  /** the write's time: the audit entry's `at` and the new memberships' `created` */
  at: Date;
  added: string[];
  removed: string[];
  /**
   * Ids a write that only adds makes members if they are not already: which ones it did is
   * learnt from the insert itself (membership-store insertMembersFor), not from a read before.
   */
  adding?: string[];
  /** the group's displayName once this write is done: what its memberships carry (MembershipDoc.display) */
  display?: string;
  /** whether this write renames the group, so its existing memberships get the new name */
  renamed?: boolean;
  /**
   * The audit entry (id: the token) without its member lists, which are `removed` (before) and
   * `added` (after); before/after are stored as path/value pairs (audit-store encodeChange).
   */
  audit?: ClaimAudit;
}

export interface ClaimAudit {
  action: string;
  actor: string;
  actorName?: string;
  requestId: string;
  cause?: string;
  before: Array<{ path: string; value: unknown }>;
  after: Array<{ path: string; value: unknown }>;
}

/** A stored group with the claim of a membership write in progress, if any. */
export type StoredGroup = GroupDoc & { membersClaim?: MembersClaim };

export async function findGroup(tenant: string, id: string): Promise<StoredGroup | null> {
  return (await GroupModel.collection.findOne({ tenant, _id: id } as never)) as StoredGroup | null;
}

/** Groups of a tenant with their claims, for a write to several groups at once. */
export async function findStoredGroups(tenant: string, ids: string[]): Promise<StoredGroup[]> {
  if (!ids.length) return [];
  return (await GroupModel.collection.find({ tenant, _id: { $in: ids } } as never).toArray()) as unknown as StoredGroup[];
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
      const update: Record<string, unknown> = { $set: set, $inc: { version: 1 } };
      if (Object.keys(unset).length) update.$unset = unset;
      const result = await GroupModel.collection.updateOne(unclaimedAt(tenant, id, expectedVersion, now) as never, update as never);
      return result.matchedCount === 1;
    } catch (error) {
      throw translateStoreError(error, "displayName");
    }
  });
}

/** Ends a membership write: its member documents and its audit entry are all written. */
export async function releaseGroupClaim(tenant: string, id: string, token: string): Promise<void> {
  await withDocumentLock(`groups:${id}`, () => GroupModel.collection.updateOne({ tenant, _id: id, "membersClaim.token": token } as never, { $unset: { membersClaim: "" } }));
}

/** {@link releaseGroupClaim} of several groups in one round trip. */
export async function releaseGroupClaims(tenant: string, claims: Array<{ groupId: string; token: string }>): Promise<void> {
  if (!claims.length) return;
  await withDocumentLocks(
    claims.map((claim) => `groups:${claim.groupId}`),
    () => GroupModel.collection.bulkWrite(claims.map(({ groupId, token }) => ({ updateOne: { filter: { tenant, _id: groupId, "membersClaim.token": token }, update: { $unset: { membersClaim: "" } } } })) as never[], { ordered: false }),
  );
}

/**
 * {@link claimGroupWrite} of several groups in one round trip, each from the version it was read at
 * (no attribute changes); returns the ids whose claim was taken (the others changed meanwhile).
 */
export async function claimGroupWrites(tenant: string, claims: Array<{ groupId: string; version: number; claim: MembersClaim }>, lastModified: Date, now: Date): Promise<Set<string>> {
  if (!claims.length) return new Set();
  return withDocumentLocks(
    claims.map((claim) => `groups:${claim.groupId}`),
    async () => {
      const operations = claims.map(({ groupId, version, claim }) => ({
        updateOne: { filter: unclaimedAt(tenant, groupId, version, now), update: { $set: { membersClaim: claim, lastModified }, $inc: { version: 1 } } },
      }));
      const result = await GroupModel.collection.bulkWrite(operations as never[], { ordered: false });
      if (result.matchedCount === claims.length) return new Set(claims.map((claim) => claim.groupId));
      const tokens = claims.map((claim) => claim.claim.token);
      const held = await GroupModel.collection.find({ tenant, "membersClaim.token": { $in: tokens } } as never, { projection: { _id: 1 } }).toArray();
      return new Set(held.map((group) => String(group._id)));
    },
  );
}

/** Groups whose membership write was cut off (its claim expired): work for the sweep. */
export async function findGroupsWithExpiredClaims(now: Date, limit: number): Promise<StoredGroup[]> {
  return (await GroupModel.collection.find({ "membersClaim.until": { $lte: now } } as never).limit(limit).toArray()) as unknown as StoredGroup[];
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

/** Points groups still led by `from` at `to`, or clears their leader: one round trip per chunk of groups. */
export async function reassignGroupLeaders(tenant: string, changes: Array<{ groupId: string; from: string; to: string | null }>, now: Date): Promise<void> {
  await repointReferences(GroupModel.collection, "groups", "roster.manager", tenant, changes.map(({ groupId: id, from, to }) => ({ id, from, to })), now);
}

export async function listGroups(query: FilterQuery<GroupDoc>, sort: Record<string, 1 | -1>, skip: number, limit: number, countQuery?: FilterQuery<GroupDoc>): Promise<{ docs: GroupDoc[]; total: number }> {
  const docs = limit > 0 ? ((await GroupModel.collection.find(query as never, { sort, skip, limit }).toArray()) as unknown as GroupDoc[]) : [];
  // a first page shorter than asked for is the whole result: no second pass over the collection
  // for totalResults (the lookup Okta and Entra send before every create)
  const complete = skip === 0 && docs.length < limit && countQuery === undefined;
  const total = complete ? docs.length : await GroupModel.collection.countDocuments((countQuery ?? query) as never);
  return { docs, total };
}
