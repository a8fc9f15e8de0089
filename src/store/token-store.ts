import { TenantModel, TokenModel, type TokenDoc } from "./models";

export type { TokenDoc };

export async function insertToken(doc: TokenDoc): Promise<void> {
  await TokenModel.collection.insertOne(doc as never);
}

export async function findTokenByHash(hash: string): Promise<TokenDoc | null> {
  return TokenModel.findOne({ hash }).lean<TokenDoc>().exec();
}

/**
 * How long a process keeps trusting a token it found live without asking the database again.
 * Every write that ends a token's life (its deletion, its tenant's deletion mark) waits this
 * long before it returns, in whichever process it runs: by the time it is acknowledged, every
 * process's trust in the token was earned before the write and has run out (SPEC §6 "stops
 * working at once"). Identity providers send thousands of requests in a row with one token, so
 * this takes two database reads off nearly every SCIM request.
 */
export const LIVE_TOKEN_TRUST_MS = 500;
const MAX_TRUSTED = 10_000;

/** Tokens found live, by hash, until a monotonic instant (performance.now). */
const trusted = new Map<string, { token: TokenDoc; until: number }>();

/**
 * The token with this hash, if its tenant is live: a tenant being deleted (or
 * half-deleted by a crash) authenticates nothing (SPEC §6, §7).
 */
export async function findLiveTokenByHash(hash: string): Promise<TokenDoc | null> {
  const asked = performance.now();
  const known = trusted.get(hash);
  if (known && known.until > asked) return known.token;
  const token = await TokenModel.collection.findOne({ hash } as never) as TokenDoc | null;
  if (!token) return null;
  const tenant = await TenantModel.collection.findOne({ _id: token.tenant } as never, { projection: { deletingSince: 1 } });
  if (!tenant || tenant.deletingSince != null) return null;
  if (trusted.size >= MAX_TRUSTED) trusted.clear();
  // counted from before the reads: the trust never outlives a write that landed during them
  trusted.set(hash, { token, until: asked + LIVE_TOKEN_TRUST_MS });
  return token;
}

/** Ends this process's trust in the matching tokens, then waits out every other process's. */
async function distrust(matches: (token: TokenDoc) => boolean): Promise<void> {
  for (const [hash, { token }] of trusted) if (matches(token)) trusted.delete(hash);
  await new Promise((resolve) => setTimeout(resolve, LIVE_TOKEN_TRUST_MS));
}

/** After a tenant was marked as being deleted: no process authenticates its tokens once this returns. */
export async function distrustTenantTokens(tenant: string): Promise<void> {
  await distrust((token) => token.tenant === tenant);
}

export async function listTokens(tenant: string): Promise<TokenDoc[]> {
  return TokenModel.find({ tenant }).sort({ createdAt: 1 }).lean<TokenDoc[]>().exec();
}

/** Deletes a token; once this returns no process authenticates it (LIVE_TOKEN_TRUST_MS). */
export async function deleteToken(tenant: string, id: string): Promise<boolean> {
  const result = await TokenModel.deleteOne({ tenant, _id: id }).exec();
  if (result.deletedCount === 1) await distrust((token) => token._id === id);
  return result.deletedCount === 1;
}

/** The minute each token's use was last recorded by this process. */
const touched = new Map<string, number>();

/** Records use to the minute only, and once a minute per process, so authentication does not write on every request. */
export async function touchToken(id: string, now: Date): Promise<void> {
  const minute = Math.floor(now.getTime() / 60000) * 60000;
  if (touched.get(id) === minute) return;
  if (touched.size >= MAX_TRUSTED) touched.clear();
  touched.set(id, minute);
  const at = new Date(minute);
  await TokenModel.collection.updateOne({ _id: id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: at } }] } as never, { $set: { lastUsedAt: at } });
}
