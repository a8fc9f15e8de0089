import { CredentialModel, type CredentialDoc } from "./models";

export type { CredentialDoc };

export async function insertCredential(doc: CredentialDoc): Promise<void> {
  await CredentialModel.collection.insertOne(doc as never);
}

export async function listCredentials(tenant: string, userId: string): Promise<CredentialDoc[]> {
  return CredentialModel.find({ tenant, userId }).sort({ createdAt: 1 }).lean<CredentialDoc[]>().exec();
}

/** Revokes every unrevoked credential of these kinds, in one round trip (idempotent: revoked ones keep their time). */
export async function revokeCredentials(tenant: string, userId: string, kinds: Array<CredentialDoc["kind"]>, now: Date): Promise<number> {
  if (!kinds.length) return 0;
  const result = await CredentialModel.collection.updateMany({ tenant, userId, kind: { $in: kinds }, revokedAt: null } as never, { $set: { revokedAt: now } });
  return result.modifiedCount;
}

/** Revokes one credential (keeps an earlier revocation time). */
export async function revokeCredential(tenant: string, id: string, now: Date): Promise<void> {
  await CredentialModel.updateOne({ tenant, _id: id, revokedAt: null }, { $set: { revokedAt: now } }).exec();
}
