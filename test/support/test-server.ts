/**
 * Starts the real Roster app in-process on an ephemeral port, on the run's
 * database (root hooks), and gives each test its own tenant and token (STYLE:
 * tests never depend on order or on an empty database).
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import { loadConfig, type Config } from "../../src/config/load-config";
import { createTenant, issueToken } from "../../src/services/tenant-admin";
import { startRoster, type RunningRoster } from "../../src/start-roster";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export interface TestServer {
  url: string;
  roster: RunningRoster;
  close(): Promise<void>;
}

/** Lifecycle events pushed and retried within a test's patience (a receiver that sleeps 1.5 s still answers in time). */
export const FAST_EVENTS = { eventIntervalMs: 100, eventRetryMs: 100, eventMaxAttempts: 3, eventTimeoutMs: 4000 } as const;

/** The app with rate limiting off unless overridden, and quiet logs. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const config = loadConfig({}, { port: 0, adminToken: ADMIN_TOKEN, rateLimit: { perSecond: 0, burst: 0 }, jobIntervalMs: 60_000, leaseMs: 30_000, ...FAST_EVENTS, ...overrides });
  const roster = await startRoster(config, { connected: true, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  return { url: roster.url, roster, close: () => roster.close() };
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a JSON request; `body` may be a string to send malformed JSON as is. */
export async function request<T = any>(url: string, method: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/scim+json";
  }
  const response = await fetch(url, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export interface TestTenant {
  id: string;
  token: string;
  /** SCIM request relative to /scim/v2 with this tenant's token */
  scim<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
  /** admin request relative to /admin/v1/tenants/<id> */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
}

/** A fresh tenant with one SCIM token, created through the services (the admin API has its own tests). */
export async function newTenant(server: TestServer, prefix = "t"): Promise<TestTenant> {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTenant(id, undefined);
  const { token } = await issueToken(id, "test", "admin", "test-setup");
  return tenantAt(server.url, id, token);
}

/** A handle on an existing tenant and SCIM token of the Roster at `url` (an in-process server or a child). */
export function tenantAt(url: string, id: string, token: string): TestTenant {
  return {
    id,
    token,
    scim: (method, path, body, headers) => request(`${url}/scim/v2${path}`, method, { token, body, headers }),
    admin: (method, path, body) => adminRequest(`${url}/admin/v1/tenants/${id}${path}`, method, body),
  };
}

/** An admin API request with the admin token (or `token`; null sends none); a body goes as application/json. */
export function adminRequest<T = any>(url: string, method: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<HttpResult<T>> {
  return request<T>(url, method, { token: token ?? undefined, body, headers: body === undefined ? {} : { "Content-Type": "application/json" } });
}

/** A SCIM User body with sensible defaults. */
export function userBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    userName,
    name: { givenName: "Given", familyName: "Family" },
    emails: [{ value: `${userName.replace(/[^A-Za-z0-9._-]/g, "")}@example.com`, type: "work", primary: true }],
    active: true,
    ...extra,
  };
}
