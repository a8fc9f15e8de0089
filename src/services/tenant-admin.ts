import { randomBytes } from "node:crypto";
import { auditActor, type AuditActor } from "../domain/audit-actor";
import { RosterError } from "../domain/roster-error";
import { hashToken } from "./hash-token";
import { appendAudit } from "../store/audit-store";
import { newId } from "../store/new-id";
import { findDeletingTenantIds, findTenant, hasTenantLeftovers, purgeTenantData, insertTenant, purgeOrphanTenantData } from "../store/tenant-store";
import { deleteToken, findTokenByHash, insertToken, type TokenDoc } from "../store/token-store";
import { getRuntime } from "./context";

/**
 * Creates a tenant; 409 when it exists or is still being deleted (SPEC §6).
 * Documents a cut-short deletion (or a write racing it) left under this id
 * are purged first: a new tenant never inherits an old one's data.
 */
export async function createTenant(id: string, name: string | undefined): Promise<{ id: string; name: string }> {
  if (!(await findTenant(id)) && (await hasTenantLeftovers(id))) await purgeOrphanTenantData(id);
  if (!(await insertTenant(id, name ?? id, getRuntime().now()))) throw RosterError.conflict(`Tenant ${id} already exists or is still being deleted`);
  return { id, name: name ?? id };
}

/** Issues a SCIM bearer token; the secret is returned once and stored only as a hash (SPEC §7). */
export async function issueToken(tenant: string, label: string | null, actor: string | AuditActor, requestId: string, secret?: string): Promise<TokenDoc & { token: string }> {
  if (!(await findTenant(tenant))) throw RosterError.notFound(`Tenant ${tenant} not found`);
  const token = secret ?? `rst_${randomBytes(32).toString("base64url")}`;
  const now = getRuntime().now();
  const doc: TokenDoc = { _id: newId(), tenant, hash: hashToken(token), label, createdAt: now, lastUsedAt: null };
  await insertToken(doc);
  await appendAudit({ _id: newId(), tenant, at: now, ...auditActor(typeof actor === "string" ? { actor } : actor), action: "token.create", target: doc._id, requestId });
  return { ...doc, token };
}

export async function revokeToken(tenant: string, id: string, actor: string | AuditActor, requestId: string): Promise<void> {
  if (!(await deleteToken(tenant, id))) throw RosterError.notFound(`Token ${id} not found`);
  await appendAudit({ _id: newId(), tenant, at: getRuntime().now(), ...auditActor(typeof actor === "string" ? { actor } : actor), action: "token.revoke", target: id, requestId });
}

/** `ROSTER_BOOTSTRAP_TOKEN`: tenant `default` exists and this token is valid for it (SPEC §2). */
export async function ensureBootstrap(token: string): Promise<void> {
  if (!(await findTenant("default"))) {
    // `default` half-deleted by a crash is finished off first, then comes back empty (SPEC §6)
    if ((await findDeletingTenantIds()).includes("default")) await purgeTenantData("default");
    else if (await hasTenantLeftovers("default")) await purgeOrphanTenantData("default");
    // false when another process starting at the same time created it first
    await insertTenant("default", "default", getRuntime().now());
  }
  const existing = await findTokenByHash(hashToken(token));
  if (existing && existing.tenant === "default") return;
  if (existing) throw new Error("ROSTER_BOOTSTRAP_TOKEN is already a token of another tenant");
  await issueToken("default", "bootstrap", "system:bootstrap", "startup", token);
}
