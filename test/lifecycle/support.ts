/**
 * Helpers for the lifecycle tests (SPEC §4). Policy, owner and credentials go
 * through the admin API (SPEC §6); the audit log is read from the store, which
 * is what the rules write to, so the tests see every entry at once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { DEFAULT_POLICY, ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER, type Policy } from "../../src/domain/types";
import { hashToken } from "../../src/services/hash-token";
import { queryAudit, type AuditDoc } from "../../src/store/audit-store";
import { listCredentials } from "../../src/store/credential-store";
import { findFreePort } from "../../src/store/database/find-free-port";
import { TransitionModel, type TransitionDoc } from "../../src/store/models";
import { findTokenByHash } from "../../src/store/token-store";
import { TEST_DB_NAME, testDatabaseUri } from "../support/root-hooks";
import { ADMIN_TOKEN, request, userBody, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";

export { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER };
export const USER_MANAGER = `${ENTERPRISE_USER}:manager`;
export const GROUP_MANAGER = `${ROSTER_GROUP}:manager`;
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

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

/** Credentials as stored, for a removed user whom the admin API no longer shows (SPEC §6: 404). */
export async function storedCredentialsOf(tenant: TestTenant, userId: string): Promise<CredentialState[]> {
  return (await listCredentials(tenant.id, userId)).map((c) => ({ id: c._id, kind: c.kind, revokedAt: c.revokedAt }));
}

/** Audit entries of the tenant, newest first (SPEC §6 GET /audit). */
export async function auditOf(tenant: TestTenant, filter: { action?: string; target?: string } = {}): Promise<AuditDoc[]> {
  return queryAudit({ tenant: tenant.id, ...filter, limit: 1000 });
}

/** The id of the tenant's SCIM token: the `actor` of what it does (SPEC §5). */
export async function tokenIdOf(tenant: TestTenant): Promise<string> {
  const doc = await findTokenByHash(hashToken(tenant.token));
  if (!doc) throw new Error("token not found");
  return doc._id;
}

export async function transitionsOf(tenant: TestTenant, userId: string): Promise<TransitionDoc[]> {
  return TransitionModel.find({ tenant: tenant.id, userId }).sort({ at: 1 }).lean<TransitionDoc[]>().exec();
}

/** POST /Users, expecting 201; returns the created resource. */
export async function createUser(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}): Promise<any> {
  const created = await tenant.scim("POST", "/Users", userBody(userName, extra));
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

/** The enterprise extension with a manager, for userBody's `extra`. */
export function managedBy(managerId: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { [ENTERPRISE_USER]: { manager: { value: managerId }, ...more } };
}

/** POST /Groups led by `leaderId` (Roster Group extension), expecting 201. */
export async function createGroup(tenant: TestTenant, displayName: string, options: { leaderId?: string; memberIds?: string[] } = {}): Promise<any> {
  const body: Record<string, unknown> = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", ...(options.leaderId ? [ROSTER_GROUP] : [])],
    displayName,
    members: (options.memberIds ?? []).map((value) => ({ value })),
  };
  if (options.leaderId) body[ROSTER_GROUP] = { manager: { value: options.leaderId } };
  const created = await tenant.scim("POST", "/Groups", body);
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

export function patchBody(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Okta's deactivation: a path-less replace (IDP-TRAFFIC.md). */
export function deactivatePatch(): Record<string, unknown> {
  return patchBody({ op: "replace", value: { active: false } });
}

export function reactivatePatch(): Record<string, unknown> {
  return patchBody({ op: "replace", value: { active: true } });
}

export async function getUser(tenant: TestTenant, id: string): Promise<HttpResult> {
  return tenant.scim("GET", `/Users/${id}`);
}

export function managerOf(user: any): string | undefined {
  return user?.[ENTERPRISE_USER]?.manager?.value;
}

export async function groupLeaderOf(tenant: TestTenant, groupId: string): Promise<string | undefined> {
  const group = await tenant.scim("GET", `/Groups/${groupId}`);
  expect(group.status).to.equal(200);
  return group.body[ROSTER_GROUP]?.manager?.value;
}

export async function listUsers(tenant: TestTenant, filter: string): Promise<any> {
  const listed = await tenant.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
  expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
  return listed.body;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(check: () => Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() >= until) return value;
    await sleep(everyMs);
  }
}

/** Roster as a child process (`node dist/src/main.js`) on the run's database. */
export interface RosterChild {
  url: string;
  process: ChildProcess;
  /** JSON log lines written so far */
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

const MAIN = path.resolve(__dirname, "../../src/main.js");

/** Starts a child Roster and waits until /healthz answers (SPEC §2); on the run's database unless told otherwise. */
export async function startRosterChild(env: Record<string, string> = {}, database?: { uri: string; name: string }): Promise<RosterChild> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: String(port),
      MONGODB_URI: database?.uri ?? testDatabaseUri(),
      ROSTER_DB_NAME: database?.name ?? TEST_DB_NAME,
      ROSTER_RATE_LIMIT: "0",
      ROSTER_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let pending = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const healthy = await Promise.race([
    waitFor(async () => (await fetch(`${url}/healthz`).then((r) => r.status === 200).catch(() => false)), 45_000, 50),
    exited.then(() => false),
  ]);
  if (!healthy) {
    child.kill("SIGKILL");
    throw new Error(`Roster child did not start: ${stderr}`);
  }
  return {
    url,
    process: child,
    logs,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A TestServer-shaped handle on a child, so newTenant can address it. */
export function childServer(child: RosterChild): TestServer {
  return { url: child.url, roster: undefined as never, close: async () => undefined };
}

/** The same tenant and token, talking to another Roster process. */
export function viaServer(tenant: TestTenant, url: string): TestTenant {
  return {
    ...tenant,
    scim: (method, p, body, headers) => request(`${url}/scim/v2${p}`, method, { token: tenant.token, body, headers }),
    admin: (method, p, body) => request(`${url}/admin/v1/tenants/${tenant.id}${p}`, method, { token: ADMIN_TOKEN, body, headers: body === undefined ? {} : { "Content-Type": "application/json" } }),
  };
}
