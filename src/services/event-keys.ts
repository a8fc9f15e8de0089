import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from "jose";
import { findEventKey, insertEventKey, type EventKeyDoc } from "../store/event-store";
import { getRuntime } from "./context";

/** Every tenant signs its SETs with its own ES256 key (RFC 7518 §3.4). */
export const EVENT_SIGNING_ALG = "ES256";

/**
 * The tenant's key pair, created on first use. Two processes creating it at once
 * both insert under the tenant's id: one wins, the other reads the winner's, so
 * a tenant never signs with a key its JWKS does not publish.
 */
async function tenantKey(tenant: string): Promise<EventKeyDoc> {
  const existing = await findEventKey(tenant);
  if (existing) return existing;
  const { publicKey, privateKey } = await generateKeyPair(EVENT_SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const doc: EventKeyDoc = { _id: tenant, tenant, kid, privateJwk: { ...(await exportJWK(privateKey)) }, publicJwk: { ...publicJwk, kid, alg: EVENT_SIGNING_ALG, use: "sig" }, createdAt: getRuntime().now() };
  if (await insertEventKey(doc)) return doc;
  const winner = await findEventKey(tenant);
  if (!winner) throw new Error(`the event key of tenant ${tenant} vanished while it was created`);
  return winner;
}

/** The private key and its kid, for signing. */
export async function tenantSigningKey(tenant: string): Promise<{ kid: string; key: KeyLike | Uint8Array }> {
  const doc = await tenantKey(tenant);
  return { kid: doc.kid, key: await importJWK(doc.privateJwk as unknown as JWK, EVENT_SIGNING_ALG) };
}

/** The tenant's JWK Set (RFC 7517 §5): public keys only. */
export async function tenantJwks(tenant: string): Promise<{ keys: JWK[] }> {
  return { keys: [(await tenantKey(tenant)).publicJwk as unknown as JWK] };
}
