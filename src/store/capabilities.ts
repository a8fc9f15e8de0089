import mongoose from "mongoose";

let elemMatchDocuments = true;

const PROBE_COLLECTION = "capability_probe";

/**
 * Asks the server once, at start, what it supports, by running the queries
 * on a probe document: FerretDB 1.24 rejects `$elemMatch` with `$and`, and
 * silently matches nothing with field conditions; MongoDB does both right.
 */
export async function probeCapabilities(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error("probeCapabilities needs a connected database");
  const probe = db.collection(PROBE_COLLECTION);
  const id = `probe-${process.pid}-${Date.now()}`;
  await probe.insertOne({ _id: id, emails: [{ type: "work", value: "probe" }, { type: "home", value: "other" }] } as never);
  try {
    const plain = await probe.countDocuments({ _id: id, emails: { $elemMatch: { type: "work", value: "probe" } } } as never);
    const crossed = await probe.countDocuments({ _id: id, emails: { $elemMatch: { type: "home", value: "probe" } } } as never);
    const combined = await probe.countDocuments({ _id: id, emails: { $elemMatch: { $and: [{ type: "work" }, { value: "probe" }] } } } as never);
    elemMatchDocuments = plain === 1 && crossed === 0 && combined === 1;
  } catch {
    elemMatchDocuments = false;
  } finally {
    await probe.deleteOne({ _id: id } as never);
  }
}

/** Whether value-path filters can be exact `$elemMatch` queries on this server. */
export function supportsElemMatchDocuments(): boolean {
  return elemMatchDocuments;
}
