import { withDocumentLock } from "./document-lock";
import { claimOnce } from "./lease-store";
import { decodeChange, encodeChange } from "./audit-store";
import { TransitionModel, type TransitionDoc } from "./models";

export type { TransitionDoc };

/** Records a transition before anything changes (SPEC §4 Crash safety). */
export async function insertTransition(doc: TransitionDoc): Promise<void> {
  await TransitionModel.collection.insertOne({ ...doc, before: encodeChange(doc.before), after: encodeChange(doc.after) } as never);
}

/** Records cascade steps as done, and with `finish` completes the transition in the same write. */
export async function markEffectsDone(tenant: string, id: string, indexes: number[], finish = false): Promise<void> {
  return withDocumentLock(`transitions:${id}`, async () => {
    if (finish) {
      const update: Record<string, unknown> = { $set: { status: "complete" } };
      if (indexes.length) update.$addToSet = { done: { $each: indexes } };
      await TransitionModel.collection.updateOne({ tenant, _id: id, status: "pending" } as never, update as never);
    } else if (indexes.length) {
      await TransitionModel.collection.updateOne({ tenant, _id: id } as never, { $addToSet: { done: { $each: indexes } } } as never);
    }
  });
}

/**
 * Extends the lease of a transition this process still owns; null when
 * another process took it over (SPEC §10: a cascade runs in one process at a time).
 */
export async function renewTransitionLease(tenant: string, id: string, owner: string, now: Date, leaseMs: number): Promise<Date | null> {
  return withDocumentLock(`transitions:${id}`, async () => {
    const until = new Date(now.getTime() + leaseMs);
    const result = await TransitionModel.updateOne({ tenant, _id: id, status: "pending", leaseOwner: owner }, { $set: { leaseUntil: until } }).exec();
    return result.matchedCount === 1 ? until : null;
  });
}

export async function finishTransition(tenant: string, id: string, status: "complete" | "aborted"): Promise<void> {
  return withDocumentLock(`transitions:${id}`, async () => {
    await TransitionModel.updateOne({ tenant, _id: id, status: "pending" }, { $set: { status } }).exec();
  });
}

/**
 * Pending transitions whose owner's lease ran out, across tenants: a crashed
 * process's work. One query whatever the number of tenants (the range on
 * `tenant` keeps the tenant-first index usable).
 */
export async function findAbandonedTransitions(now: Date, limit: number): Promise<Array<Pick<TransitionDoc, "_id" | "tenant">>> {
  return TransitionModel.find({ tenant: { $gt: "" }, status: "pending", leaseUntil: { $lt: now } }, { _id: 1, tenant: 1 })
    .sort({ at: 1 })
    .limit(limit)
    .lean<Array<Pick<TransitionDoc, "_id" | "tenant">>>()
    .exec();
}

/** Records that the user's commit write landed, so a sweep resumes the transition whatever the user carries later. */
export async function markTransitionCommitted(tenant: string, id: string): Promise<void> {
  return withDocumentLock(`transitions:${id}`, async () => {
    await TransitionModel.updateOne({ tenant, _id: id }, { $set: { committed: true } }).exec();
  });
}

/** Takes over an abandoned transition; null when it is not abandoned or another process took it first. */
export async function claimTransition(tenant: string, id: string, owner: string, now: Date, leaseMs: number): Promise<TransitionDoc | null> {
  return withDocumentLock(`transitions:${id}`, async () => {
    const expired = await TransitionModel.findOne({ tenant, _id: id, status: "pending", leaseUntil: { $lt: now } }, { leaseUntil: 1 }).lean<{ leaseUntil: Date }>().exec();
    if (!expired) return null;
    // processes that saw the same expired lease race for one claim: only one resumes the cascade
    if (!(await claimOnce(`transition:${id}:${new Date(expired.leaseUntil).getTime()}`, owner, now))) return null;
    const claimed = await TransitionModel.findOneAndUpdate(
      { tenant, _id: id, status: "pending" },
      { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) } },
      { new: true },
    )
      .lean<TransitionDoc>()
      .exec();
    return claimed && decoded(claimed);
  });
}

/** Redacts a user's transitions' before/after with `redact` (SPEC §4 Erase: no personal value survives anywhere). */
export async function redactTransitionsOf(tenant: string, userId: string, redact: (change: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const docs = await TransitionModel.find({ tenant, userId }, { before: 1, after: 1 }).lean<Array<Pick<TransitionDoc, "_id" | "before" | "after">>>().exec();
  for (const doc of docs) {
    const before = redact(decodeChange(doc.before) ?? {});
    const after = redact(decodeChange(doc.after) ?? {});
    await withDocumentLock(`transitions:${doc._id}`, async () => {
      await TransitionModel.collection.updateOne({ tenant, _id: doc._id } as never, { $set: { before: encodeChange(before), after: encodeChange(after) } } as never);
    });
  }
}

/** Whether the user's latest transition is still pending (its cascade may still write audit entries). */
export async function isTransitionPending(tenant: string, id: string): Promise<boolean> {
  return (await TransitionModel.countDocuments({ tenant, _id: id, status: "pending" }).exec()) > 0;
}

/** Transitions not finished, whose lease is still held or has expired (the sweep's backlog), for /metrics. */
export async function countPendingTransitions(now: Date): Promise<{ held: number; expired: number }> {
  const [pending, expired] = await Promise.all([
    TransitionModel.countDocuments({ tenant: { $gt: "" }, status: "pending" }).exec(),
    TransitionModel.countDocuments({ tenant: { $gt: "" }, status: "pending", leaseUntil: { $lt: now } }).exec(),
  ]);
  return { held: pending - expired, expired };
}

function decoded(doc: TransitionDoc): TransitionDoc {
  return { ...doc, before: decodeChange(doc.before) ?? {}, after: decodeChange(doc.after) ?? {} };
}
