import { OAuthAccessTokenModel, OAuthClientModel, TenantModel, type OAuthAccessTokenDoc, type OAuthClientDoc } from "./models";
import { LIVE_TOKEN_TRUST_MS } from "./token-store";

export type { OAuthAccessTokenDoc, OAuthClientDoc };

export async function insertOAuthClient(doc: OAuthClientDoc): Promise<void> {
  await OAuthClientModel.collection.insertOne(doc as never);
}

export async function findOAuthClient(clientId: string): Promise<OAuthClientDoc | null> {
  return (await OAuthClientModel.collection.findOne({ _id: clientId } as never)) as OAuthClientDoc | null;
}

export async function listOAuthClients(tenant: string): Promise<OAuthClientDoc[]> {
  return OAuthClientModel.find({ tenant }).sort({ createdAt: 1, _id: 1 }).lean<OAuthClientDoc[]>().exec();
}

/** Stores a new access token and drops the client's expired ones, so a client keeps only the tokens of its last TTL. */
export async function insertAccessToken(doc: OAuthAccessTokenDoc): Promise<void> {
  await OAuthAccessTokenModel.collection.insertOne(doc as never);
  await OAuthAccessTokenModel.collection.deleteMany({ clientId: doc.clientId, expiresAt: { $lte: doc.createdAt } } as never);
}

/**
 * Access tokens found live, by hash, until a monotonic instant: the same trust as static
 * tokens get (token-store LIVE_TOKEN_TRUST_MS), ended the same way by every write that
 * ends a token's life, which waits that long before it returns.
 */
const trusted = new Map<string, { token: OAuthAccessTokenDoc; until: number }>();
const MAX_TRUSTED = 10_000;

/**
 * The access token with this hash if it has not expired at `now`, its client still exists
 * and its tenant is live. The expiry is compared here on every call: a TTL index may remove
 * expired tokens late, or (on some backends) never.
 */
export async function findLiveAccessTokenByHash(hash: string, now: Date): Promise<OAuthAccessTokenDoc | null> {
  const asked = performance.now();
  const known = trusted.get(hash);
  if (known && known.until > asked) return known.token.expiresAt > now ? known.token : null;
  const token = (await OAuthAccessTokenModel.collection.findOne({ hash } as never)) as OAuthAccessTokenDoc | null;
  if (!token || !(token.expiresAt > now)) return null;
  // a token issued while its client was being deleted outlives the client's deleteMany: the client decides
  if (!(await OAuthClientModel.collection.findOne({ _id: token.clientId, tenant: token.tenant } as never, { projection: { _id: 1 } }))) return null;
  const tenant = await TenantModel.collection.findOne({ _id: token.tenant } as never, { projection: { deletingSince: 1 } });
  if (!tenant || tenant.deletingSince != null) return null;
  if (trusted.size >= MAX_TRUSTED) trusted.clear();
  // counted from before the reads: the trust never outlives a write that landed during them
  trusted.set(hash, { token, until: asked + LIVE_TOKEN_TRUST_MS });
  return token;
}

function forget(matches: (token: OAuthAccessTokenDoc) => boolean): void {
  for (const [hash, { token }] of trusted) if (matches(token)) trusted.delete(hash);
}

/**
 * This process stops trusting the tenant's access tokens; the caller (markTenantDeleting)
 * then waits out every other process's trust, as it does for static tokens.
 */
export function forgetTenantAccessTokens(tenant: string): void {
  forget((token) => token.tenant === tenant);
}

/** Deletes a client and its access tokens; once this returns no process accepts them (LIVE_TOKEN_TRUST_MS). */
export async function deleteOAuthClient(tenant: string, clientId: string): Promise<boolean> {
  const result = await OAuthClientModel.deleteOne({ tenant, _id: clientId }).exec();
  if (result.deletedCount !== 1) return false;
  await OAuthAccessTokenModel.deleteMany({ tenant, clientId }).exec();
  forget((token) => token.clientId === clientId);
  await new Promise((resolve) => setTimeout(resolve, LIVE_TOKEN_TRUST_MS));
  return true;
}
