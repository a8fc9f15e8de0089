import { decodeEntry, type AuditDoc } from "./audit-store";
import { AuditModel, EventDeliveryModel, EventKeyModel, EventSubscriptionModel, type EventDeliveryDoc, type EventKeyDoc, type EventSubscriptionDoc } from "./models";
import { isDuplicateKey } from "./translate-store-error";

export type { EventDeliveryDoc, EventKeyDoc, EventSubscriptionDoc };

export async function insertSubscription(doc: EventSubscriptionDoc): Promise<void> {
  await EventSubscriptionModel.collection.insertOne(doc as never);
}

export async function findSubscription(tenant: string, id: string): Promise<EventSubscriptionDoc | null> {
  return EventSubscriptionModel.findOne({ tenant, _id: id }).lean<EventSubscriptionDoc>().exec();
}

export async function listSubscriptions(tenant: string): Promise<EventSubscriptionDoc[]> {
  return EventSubscriptionModel.find({ tenant }).sort({ createdAt: 1, _id: 1 }).lean<EventSubscriptionDoc[]>().exec();
}

export async function updateSubscription(tenant: string, id: string, set: Partial<Pick<EventSubscriptionDoc, "url" | "events" | "secret" | "createdAt">>): Promise<boolean> {
  return (await EventSubscriptionModel.updateOne({ tenant, _id: id }, { $set: set }).exec()).matchedCount === 1;
}

/** Deletes a subscription and every SET still owed to it. */
export async function deleteSubscription(tenant: string, id: string): Promise<boolean> {
  const deleted = (await EventSubscriptionModel.deleteOne({ tenant, _id: id }).exec()).deletedCount === 1;
  await EventDeliveryModel.deleteMany({ tenant, subscription: id }).exec();
  return deleted;
}

/** Audit entries written as events and not yet fanned out, oldest first. */
export async function findPendingEventEntries(limit: number): Promise<AuditDoc[]> {
  return (await AuditModel.find({ eventsPending: true }).sort({ at: 1, _id: 1 }).limit(limit).lean<AuditDoc[]>().exec()).map(decodeEntry);
}

export async function findAuditEntry(tenant: string, id: string): Promise<AuditDoc | null> {
  const doc = await AuditModel.findOne({ tenant, _id: id }).lean<AuditDoc>().exec();
  return doc ? decodeEntry(doc) : null;
}

/** Records SETs owed; those recorded already (a fan-out repeated after a crash) stay as they are. */
export async function insertDeliveries(docs: EventDeliveryDoc[]): Promise<void> {
  if (!docs.length) return;
  try {
    await EventDeliveryModel.collection.insertMany(docs as never[], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (!isDuplicateKey(error) && !(errors.length && errors.every((inner) => (inner as { code?: number }).code === 11000))) throw error;
  }
}

/** Marks entries as fanned out: only after their deliveries are recorded, so a crash in between repeats the fan-out. */
export async function clearEventsPending(ids: string[]): Promise<void> {
  if (ids.length) await AuditModel.updateMany({ _id: { $in: ids } }, { $unset: { eventsPending: "" } }).exec();
}

/** Push deliveries due now, oldest first. */
export async function findDuePushes(now: Date, limit: number): Promise<EventDeliveryDoc[]> {
  return EventDeliveryModel.find({ delivery: "push", status: { $in: ["pending", "failed"] }, nextAttemptAt: { $lte: now } })
    .sort({ nextAttemptAt: 1, _id: 1 })
    .limit(limit)
    .lean<EventDeliveryDoc[]>()
    .exec();
}

/** SETs owed to a poll subscription, oldest first. */
export async function findOwedToPoll(tenant: string, subscription: string, limit: number): Promise<EventDeliveryDoc[]> {
  return EventDeliveryModel.find({ tenant, subscription, status: { $in: ["pending", "failed"] } })
    .sort({ createdAt: 1, _id: 1 })
    .limit(limit)
    .lean<EventDeliveryDoc[]>()
    .exec();
}

export async function listDeliveries(tenant: string, subscription: string, statuses: string[], limit: number): Promise<EventDeliveryDoc[]> {
  return EventDeliveryModel.find({ tenant, subscription, status: { $in: statuses } }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<EventDeliveryDoc[]>().exec();
}

export async function countDeliveries(filter: { tenant?: string; subscription?: string; delivery?: { $in: string[] }; status: string }): Promise<number> {
  return EventDeliveryModel.countDocuments(filter).exec();
}

export async function findDelivery(tenant: string, subscription: string, jti: string): Promise<EventDeliveryDoc | null> {
  return EventDeliveryModel.findOne({ tenant, _id: `${subscription}:${jti}` }).lean<EventDeliveryDoc>().exec();
}

/** Drops deliveries by id (owed to a subscription deleted while a fan-out was inserting them). */
export async function deleteDeliveries(ids: string[]): Promise<void> {
  if (ids.length) await EventDeliveryModel.deleteMany({ _id: { $in: ids } }).exec();
}

export async function updateDelivery(id: string, set: Partial<EventDeliveryDoc>, inc: Partial<Record<"attempts", number>> = {}): Promise<void> {
  await EventDeliveryModel.updateOne({ _id: id }, Object.keys(inc).length ? { $set: set, $inc: inc } : { $set: set }).exec();
}

/** Settles SETs of one subscription by jti (acknowledged or refused by a poller); only those still owed. */
export async function settleDeliveries(tenant: string, subscription: string, jtis: string[], set: Partial<EventDeliveryDoc>): Promise<void> {
  if (!jtis.length) return;
  await EventDeliveryModel.updateMany({ tenant, subscription, jti: { $in: jtis }, status: { $in: ["pending", "failed"] } }, { $set: set }).exec();
}

export async function findEventKey(tenant: string): Promise<EventKeyDoc | null> {
  return EventKeyModel.findById(tenant).lean<EventKeyDoc>().exec();
}

/** Stores a tenant's first key pair; false when another request stored one first (the caller reads that one). */
export async function insertEventKey(doc: EventKeyDoc): Promise<boolean> {
  try {
    await EventKeyModel.collection.insertOne(doc as never);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}
