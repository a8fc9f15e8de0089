import { withDocumentLock } from "./document-lock";
import { LeaseModel } from "./models";
import { isDuplicateKey } from "./translate-store-error";

/**
 * Takes the lease on a job for `ms` unless another live owner holds it
 * (SPEC §10: two processes never run the same job at once).
 */
export async function acquireLease(job: string, owner: string, ms: number, now: Date): Promise<boolean> {
  return withDocumentLock(`leases:${job}`, async () => {
    const until = new Date(now.getTime() + ms);
    try {
      const result = await LeaseModel.updateOne(
        { _id: job, $or: [{ until: { $lt: now } }, { owner }] },
        { $set: { owner, until } },
        { upsert: true },
      ).exec();
      return result.matchedCount === 1 || result.upsertedCount === 1;
    } catch (error) {
      // the upsert raced with a live lease holder's document
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  });
}

export async function releaseLease(job: string, owner: string): Promise<void> {
  return withDocumentLock(`leases:${job}`, async () => {
    await LeaseModel.deleteOne({ _id: job, owner }).exec();
  });
}
