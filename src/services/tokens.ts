import { RosterError } from "../domain/roster-error";
import { findTenant } from "../store/tenant-store";
import { listTokens } from "../store/token-store";
import type { ActionContext } from "./context";
import { issueToken, revokeToken } from "./tenant-admin";
import { validatePayload } from "./validate-payload";

export interface TokenSummary {
  id: string;
  label: string | null;
  createdAt: string;
  /** to the minute (SPEC §6) */
  lastUsedAt: string | null;
}

/** SPEC §6 POST /tokens: the secret appears only in this answer; only its hash is stored (SPEC §7). */
export async function createToken(ctx: ActionContext, payload: unknown): Promise<Omit<TokenSummary, "lastUsedAt"> & { token: string }> {
  const { label } = validatePayload<{ label?: string | null }>("label", payload);
  const issued = await issueToken(ctx.tenant, label ?? null, ctx, ctx.requestId);
  return { id: issued._id, token: issued.token, label: issued.label, createdAt: issued.createdAt.toISOString() };
}

/** SPEC §6 GET /tokens: never the hash. */
export async function listTokenSummaries(tenant: string): Promise<TokenSummary[]> {
  if (!(await findTenant(tenant))) throw RosterError.notFound(`Tenant ${tenant} not found`);
  return (await listTokens(tenant)).map((token) => ({
    id: token._id,
    label: token.label ?? null,
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: token.lastUsedAt ? new Date(token.lastUsedAt).toISOString() : null,
  }));
}

/** SPEC §6 DELETE /tokens/{id}: the token stops working at once (authentication looks it up on every request). */
export async function deleteToken(ctx: ActionContext, id: string): Promise<void> {
  await revokeToken(ctx.tenant, id, ctx, ctx.requestId);
}
