import type { mongo } from "mongoose";
import { withDocumentLocks } from "./document-lock";

/** Writes per bulk command: far below MongoDB's limits however many documents a leader's hand-over touches. */
const BULK_CHUNK = 1000;

/** One hand-over: document `id` still refers to `from` at `field`; it is pointed at `to`, or the reference is cleared. */
export interface Repoint {
  id: string;
  from: string;
  to: string | null;
}

/**
 * Points a reference field (`enterprise.manager`, `roster.manager`) of many documents from a
 * leaver to a successor, or clears it, conditional on each still pointing at the leaver:
 * one round trip per chunk whatever the number of documents (SPEC §4 Deactivate 3).
 */
export async function repointReferences(collection: mongo.Collection, lockPrefix: string, field: string, tenant: string, changes: Repoint[], now: Date): Promise<void> {
  for (let start = 0; start < changes.length; start += BULK_CHUNK) {
    const chunk = changes.slice(start, start + BULK_CHUNK);
    await withDocumentLocks(
      chunk.map((change) => `${lockPrefix}:${change.id}`),
      () =>
        collection.bulkWrite(
          chunk.map(({ id, from, to }) => ({
            updateOne: {
              filter: { tenant, _id: id, [`${field}.value`]: from },
              update: to
                ? { $set: { [field]: { value: to }, lastModified: now }, $inc: { version: 1 } }
                : { $unset: { [field]: "" }, $set: { lastModified: now }, $inc: { version: 1 } },
            },
          })) as never[],
          { ordered: false },
        ),
    );
  }
}
