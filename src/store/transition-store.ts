import { decodeChange, encodeChange } from "./audit-store";
import { TransitionModel, type TransitionDoc } from "./models";

export type { TransitionDoc };

/** Records a transition before anything changes (SPEC §4 Crash safety). */
export async function insertTransition(doc: TransitionDoc): Promise<void> {
  await TransitionModel.collection.insertOne({ ...doc, before: encodeChange(doc.before), after: encodeChange(doc.after) } as never);
}

export async function markEffectDone(tenant: string, id: string, index: number): Promise<void> {
  await TransitionModel.updateOne({ tenant, _id: id }, { $addToSet: { done: index } }).exec();
}

export async function finishTransition(tenant: string, id: string, status: "complete" | "aborted"): Promise<void> {
  await TransitionModel.updateOne({ tenant, _id: id, status: "pending" }, { $set: { status } }).exec();
}

/** Pending transitions of a tenant whose owner's lease ran out: a crashed process's work. */
export async function findAbandonedTransitions(tenant: string, now: Date, limit: number): Promise<TransitionDoc[]> {
  return TransitionModel.find({ tenant, status: "pending", leaseUntil: { $lt: now } }).sort({ at: 1 }).limit(limit).lean<TransitionDoc[]>().exec();
}

/** Takes over an abandoned transition; false when another process took it first. */
export async function claimTransition(tenant: string, id: string, owner: string, now: Date, leaseMs: number): Promise<TransitionDoc | null> {
  const claimed = await TransitionModel.findOneAndUpdate(
    { tenant, _id: id, status: "pending", leaseUntil: { $lt: now } },
    { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) } },
    { new: true },
  )
    .lean<TransitionDoc>()
    .exec();
  return claimed && decoded(claimed);
}

function decoded(doc: TransitionDoc): TransitionDoc {
  return { ...doc, before: decodeChange(doc.before) ?? {}, after: decodeChange(doc.after) ?? {} };
}

export async function findTransition(tenant: string, id: string): Promise<TransitionDoc | null> {
  const doc = await TransitionModel.findOne({ tenant, _id: id }).lean<TransitionDoc>().exec();
  return doc && decoded(doc);
}
