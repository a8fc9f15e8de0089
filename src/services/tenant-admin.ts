import { randomBytes } from "node:crypto";
import { RosterError } from "../domain/roster-error";
import { hashToken } from "./hash-token";
import { appendAudit } from "../store/audit-store";
import { newId } from "../store/new-id";
import { findTenant, insertTenant } from "../store/tenant-store";
import { deleteToken, findTokenByHash, insertToken, type TokenDoc } from "../store/token-store";
import { getRuntime } from "./context";

/** Creates a tenant; 409 when it exists (SPEC §6). */
export async function createTenant(id: string, name: string | undefined): Promise<{ id: string; name: string }> {
  if (!(await insertTenant(id, name ?? id, getRuntime().now()))) throw RosterError.conflict(`Tenant ${id} already exists`);
  return { id, name: name ?? id };
}

/** Issues a SCIM bearer token; the secret is returned once and stored only as a hash (SPEC §7). */
export async function issueToken(tenant: string, label: string | null, actor: string, requestId: string, secret?: string): Promise<TokenDoc & { token: string }> {
  if (!(await findTenant(tenant))) throw RosterError.notFound(`Tenant ${tenant} not found`);
  const token = secret ?? `rst_${randomBytes(32).toString("base64url")}`;
  const now = getRuntime().now();
  const doc: TokenDoc = { _id: newId(), tenant, hash: hashToken(token), label, createdAt: now, lastUsedAt: null };
  await insertToken(doc);
  await appendAudit({ _id: newId(), tenant, at: now, actor, action: "token.create", target: doc._id, requestId });
  return { ...doc, token };
}

export async function revokeToken(tenant: string, id: string, actor: string, requestId: string): Promise<void> {
  if (!(await deleteToken(tenant, id))) throw RosterError.notFound(`Token ${id} not found`);
  await appendAudit({ _id: newId(), tenant, at: getRuntime().now(), actor, action: "token.revoke", target: id, requestId });
}

/** `ROSTER_BOOTSTRAP_TOKEN`: tenant `default` exists and this token is valid for it (SPEC §2). */
export async function ensureBootstrap(token: string): Promise<void> {
  if (!(await findTenant("default"))) await insertTenant("default", "default", getRuntime().now());
  const existing = await findTokenByHash(hashToken(token));
  if (existing && existing.tenant === "default") return;
  if (existing) throw new Error("ROSTER_BOOTSTRAP_TOKEN is already a token of another tenant");
  await issueToken("default", "bootstrap", "system:bootstrap", "startup", token);
}
