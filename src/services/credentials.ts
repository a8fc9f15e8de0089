import { randomBytes } from "node:crypto";
import { DEACTIVATED_MESSAGE, RosterError, decideAccess, type AccessDecision } from "../domain";
import type { UserDoc } from "../store/documents";
import { insertCredential, listCredentials, revokeCredential, type CredentialDoc } from "../store/credential-store";
import { newId } from "../store/new-id";
import { findLiveUser } from "../store/user-store";
import { getRuntime } from "./context";
import { hashToken } from "./hash-token";
import { loadTenantSettings } from "./tenant-policy";
import { validatePayload } from "./validate-payload";

export interface CredentialsView {
  sessions: Array<{ id: string; createdAt: string; revokedAt: string | null }>;
  apiKeys: Array<{ id: string; label: string | null; createdAt: string; revokedAt: string | null }>;
}

/** SPEC §4 Deactivate 4, §6 GET /access: the login check a host application asks before letting a user in. */
export async function checkAccess(tenant: string, userId: string): Promise<AccessDecision> {
  const user = await liveUser(tenant, userId);
  return decideAccess({ active: user.active, removed: false });
}

/** SPEC §6 POST /sessions: a session for an active user; 403 with the deactivation message otherwise. */
export async function createSession(tenant: string, userId: string, payload: unknown): Promise<{ id: string; createdAt: string }> {
  const { label } = validatePayload<{ label?: string | null }>("label", payload);
  const doc = await registerCredential(tenant, userId, { kind: "session", label: label ?? null });
  return { id: doc._id, createdAt: doc.createdAt.toISOString() };
}

/** SPEC §6 POST /api-keys: the key is shown once and stored as its SHA-256 (SPEC §7). */
export async function createApiKey(tenant: string, userId: string, payload: unknown): Promise<{ id: string; key: string; createdAt: string }> {
  const { label } = validatePayload<{ label?: string | null }>("label", payload);
  const key = `rak_${randomBytes(32).toString("base64url")}`;
  const doc = await registerCredential(tenant, userId, { kind: "apiKey", label: label ?? null, hash: hashToken(key) });
  return { id: doc._id, key, createdAt: doc.createdAt.toISOString() };
}

/** SPEC §6 GET /credentials: revoked ones included, with their revocation time; never a key or hash. */
export async function listUserCredentials(tenant: string, userId: string): Promise<CredentialsView> {
  await liveUser(tenant, userId);
  const docs = await listCredentials(tenant, userId);
  const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);
  return {
    sessions: docs.filter((doc) => doc.kind === "session").map((doc) => ({ id: doc._id, createdAt: iso(doc.createdAt)!, revokedAt: iso(doc.revokedAt) })),
    apiKeys: docs.filter((doc) => doc.kind === "apiKey").map((doc) => ({ id: doc._id, label: doc.label ?? null, createdAt: iso(doc.createdAt)!, revokedAt: iso(doc.revokedAt) })),
  };
}

/**
 * Stores a credential for an active user. A deactivation that commits while
 * this runs either sees the new credential (its cascade revokes it) or is seen
 * by the re-read here (the credential is revoked and the caller gets 403), so
 * a deactivated user never keeps a live credential (SPEC §4 Deactivate 4).
 */
async function registerCredential(tenant: string, userId: string, fields: Pick<CredentialDoc, "kind" | "label" | "hash">): Promise<CredentialDoc> {
  requireActive(await liveUser(tenant, userId));
  const now = getRuntime().now();
  const doc: CredentialDoc = { _id: newId(), tenant, userId, ...fields, createdAt: now, revokedAt: null };
  if (doc.hash === undefined) delete doc.hash;
  await insertCredential(doc);
  const after = await findLiveUser(tenant, userId);
  if (!after || !after.active) {
    await revokeCredential(tenant, doc._id, getRuntime().now());
    if (!after) throw RosterError.notFound(`User ${userId} not found`);
    requireActive(after);
  }
  return doc;
}

function requireActive(user: UserDoc): void {
  if (!user.active) throw RosterError.forbidden(DEACTIVATED_MESSAGE);
}

/** Credential endpoints answer 404 for a removed or unknown user (SPEC §6), and for an unknown tenant. */
async function liveUser(tenant: string, userId: string): Promise<UserDoc> {
  await loadTenantSettings(tenant);
  const user = await findLiveUser(tenant, userId);
  if (!user) throw RosterError.notFound(`User ${userId} not found`);
  return user;
}
