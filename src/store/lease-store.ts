import { withDocumentLock } from "./document-lock";
import { LeaseModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

/**
 * Records a one-time claim; false when another process recorded the same claim
 * first. An insert under a unique `_id` is atomic on MongoDB and on FerretDB
 * alike, whereas FerretDB 1.24 does not apply a filtered update atomically, so
 * every takeover of a job goes through one of these (SPEC §10).
 */
export async function claimOnce(key: string, owner: string, now: Date): Promise<boolean> {
  try {
    await LeaseModel.collection.insertOne({ _id: `claim:${key}`, owner, until: now } as never);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * Takes the lease on a job for `ms` unless another live owner holds it
 * (SPEC §10: two processes never run the same job at once). Each expired or
 * released lease can be taken over by one process only: the claim is keyed by
 * the lease it replaces.
 */
export async function acquireLease(job: string, owner: string, ms: number, now: Date): Promise<boolean> {
  return withDocumentLock(`leases:${job}`, async () => {
    const current = await LeaseModel.findById(job).lean<{ owner: string; until: Date }>().exec();
    const mine = current?.owner === owner;
    if (current && !mine && new Date(current.until) >= now) return false;
    const replaced = current ? `${current.owner}@${new Date(current.until).getTime()}` : "first";
    if (!mine && !(await claimOnce(`${job}:${replaced}`, owner, now))) return false;
    await LeaseModel.updateOne({ _id: job }, { $set: { owner, until: new Date(now.getTime() + ms) } }, { upsert: true }).exec();
    return true;
  });
}

/** Ends a lease now; the next owner takes it over through a claim on this release. */
export async function releaseLease(job: string, owner: string): Promise<void> {
  return withDocumentLock(`leases:${job}`, async () => {
    await LeaseModel.updateOne({ _id: job, owner }, { $set: { until: new Date() } }).exec();
  });
}
