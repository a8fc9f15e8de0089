import { TenantModel, TokenModel, type TokenDoc } from "./models";

export type { TokenDoc };

export async function insertToken(doc: TokenDoc): Promise<void> {
  await TokenModel.collection.insertOne(doc as never);
}

export async function findTokenByHash(hash: string): Promise<TokenDoc | null> {
  return TokenModel.findOne({ hash }).lean<TokenDoc>().exec();
}

/**
 * The token with this hash, if its tenant is live: a tenant being deleted (or
 * half-deleted by a crash) authenticates nothing (SPEC §6, §7).
 */
export async function findLiveTokenByHash(hash: string): Promise<TokenDoc | null> {
  const token = await findTokenByHash(hash);
  if (!token) return null;
  const live = await TenantModel.exists({ _id: token.tenant, deletingSince: null }).exec();
  return live ? token : null;
}

export async function listTokens(tenant: string): Promise<TokenDoc[]> {
  return TokenModel.find({ tenant }).sort({ createdAt: 1 }).lean<TokenDoc[]>().exec();
}

export async function deleteToken(tenant: string, id: string): Promise<boolean> {
  const result = await TokenModel.deleteOne({ tenant, _id: id }).exec();
  return result.deletedCount === 1;
}

/** Records use to the minute only, so authentication does not write on every request. */
export async function touchToken(id: string, now: Date): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60000) * 60000);
  await TokenModel.updateOne({ _id: id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: minute } }] }, { $set: { lastUsedAt: minute } }).exec();
}
