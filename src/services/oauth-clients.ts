import { auditActor } from "../domain/audit-actor";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { RosterError } from "../domain/roster-error";
import { appendAudit } from "../store/audit-store";
import { newId } from "../store/new-id";
import { deleteOAuthClient, findOAuthClient, insertAccessToken, insertOAuthClient, listOAuthClients } from "../store/oauth-store";
import { findTenant } from "../store/tenant-store";
import type { ActionContext } from "./context";
import { getRuntime } from "./context";
import { hashToken } from "./hash-token";
import { validatePayload } from "./validate-payload";

/** Prefix of every access token /oauth/token issues: authentication looks such a token up among access tokens first. */
export const ACCESS_TOKEN_PREFIX = "rat_";

export interface OAuthClientSummary {
  clientId: string;
  label: string | null;
  createdAt: string;
}

/** POST /oauth-clients: the secret appears only in this answer; only its hash is stored (SPEC §7). */
export async function createOAuthClient(ctx: ActionContext, payload: unknown): Promise<OAuthClientSummary & { clientSecret: string }> {
  const { label } = validatePayload<{ label?: string | null }>("label", payload);
  if (!(await findTenant(ctx.tenant))) throw RosterError.notFound(`Tenant ${ctx.tenant} not found`);
  const clientSecret = `rcs_${randomBytes(32).toString("base64url")}`;
  const now = getRuntime().now();
  const clientId = newId();
  await insertOAuthClient({ _id: clientId, tenant: ctx.tenant, secretHash: hashToken(clientSecret), label: label ?? null, createdAt: now });
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at: now, ...auditActor(ctx), action: "oauthClient.create", target: clientId, requestId: ctx.requestId });
  return { clientId, clientSecret, label: label ?? null, createdAt: now.toISOString() };
}

/** GET /oauth-clients: never a secret or its hash. */
export async function listOAuthClientSummaries(tenant: string): Promise<OAuthClientSummary[]> {
  if (!(await findTenant(tenant))) throw RosterError.notFound(`Tenant ${tenant} not found`);
  return (await listOAuthClients(tenant)).map((client) => ({ clientId: client._id, label: client.label ?? null, createdAt: new Date(client.createdAt).toISOString() }));
}

/** DELETE /oauth-clients/{clientId}: its access tokens stop working before this returns. */
export async function removeOAuthClient(ctx: ActionContext, clientId: string): Promise<void> {
  if (!(await deleteOAuthClient(ctx.tenant, clientId))) throw RosterError.notFound(`OAuth client ${clientId} not found`);
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at: getRuntime().now(), ...auditActor(ctx), action: "oauthClient.delete", target: clientId, requestId: ctx.requestId });
}

// compared against when the client id is unknown, so an unknown id costs the same as a wrong secret
const NO_CLIENT_HASH = hashToken(randomBytes(32).toString("hex"));

/**
 * The client these credentials authenticate, or null. The secret's hash is compared in
 * constant time, and an unknown client id or a tenant being deleted goes through the same compare.
 */
export async function authenticateOAuthClient(clientId: string, clientSecret: string): Promise<{ clientId: string; tenant: string; label: string | null } | null> {
  const client = await findOAuthClient(clientId);
  const given = Buffer.from(hashToken(clientSecret), "hex");
  const matches = timingSafeEqual(given, Buffer.from(client?.secretHash ?? NO_CLIENT_HASH, "hex"));
  if (!client || !matches) return null;
  if (!(await findTenant(client.tenant))) return null;
  return { clientId: client._id, tenant: client.tenant, label: client.label ?? null };
}

/** RFC 6749 §4.4.3: an opaque access token for the client's tenant, stored as a hash with its expiry. */
export async function issueAccessToken(client: { clientId: string; tenant: string; label?: string | null }, ttlSeconds: number): Promise<{ accessToken: string; expiresIn: number }> {
  const accessToken = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = getRuntime().now();
  await insertAccessToken({ _id: newId(), tenant: client.tenant, clientId: client.clientId, hash: hashToken(accessToken), label: client.label ?? null, createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  return { accessToken, expiresIn: ttlSeconds };
}
