/**
 * The admin API (SPEC §6) as the tests use it: raw calls, and the tenant settings,
 * credentials and audit pages that tests set up or read back through it.
 */
import { expect } from "chai";
import { DEFAULT_POLICY, type Policy } from "../../src/domain/types";
import { adminRequest, type HttpResult, type TestServer, type TestTenant } from "./test-server";

/** An admin request relative to /admin/v1 with the admin token (or `token`; null sends none). */
export function admin<T = any>(server: TestServer, method: string, path: string, body?: unknown, token?: string | null): Promise<HttpResult<T>> {
  return adminRequest<T>(`${server.url}/admin/v1${path}`, method, body, token);
}

/** Replaces the tenant policy; omitted fields take defaults (SPEC §6 PUT /policy). */
export async function givePolicy(tenant: TestTenant, policy: Partial<Policy>): Promise<void> {
  const res = await tenant.admin("PUT", "/policy", { ...DEFAULT_POLICY, ...policy });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** Makes an active user the tenant's account owner (SPEC §6 PUT /owner). */
export async function giveOwner(tenant: TestTenant, userId: string | null): Promise<void> {
  const res = await tenant.admin("PUT", "/owner", { userId });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** Registers a session or API key for a user, as a host application would (SPEC §6). */
export async function addCredential(tenant: TestTenant, userId: string, kind: "session" | "apiKey"): Promise<string> {
  const res = await tenant.admin("POST", `/users/${userId}/${kind === "session" ? "sessions" : "api-keys"}`, {});
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id;
}

export interface CredentialState {
  id: string;
  kind: "session" | "apiKey";
  revokedAt: Date | null;
}

/** A user's sessions and API keys with their revocation time (SPEC §6 GET /credentials). */
export async function credentialsOf(tenant: TestTenant, userId: string): Promise<CredentialState[]> {
  const res = await tenant.admin("GET", `/users/${userId}/credentials`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const state = (kind: CredentialState["kind"]) => (c: { id: string; revokedAt: string | null }) => ({ id: c.id, kind, revokedAt: c.revokedAt ? new Date(c.revokedAt) : null });
  return [...res.body.sessions.map(state("session")), ...res.body.apiKeys.map(state("apiKey"))];
}

/** Every audit entry of the tenant through GET /audit, newest first (one page of up to 1000). */
export async function auditOf(tenant: TestTenant, query = ""): Promise<any[]> {
  const page = await tenant.admin("GET", `/audit?count=1000${query ? `&${query}` : ""}`);
  expect(page.status, JSON.stringify(page.body)).to.equal(200);
  return page.body.entries;
}
