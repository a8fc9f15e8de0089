/** Helpers shared by the admin API tests: raw admin calls and SCIM lifecycle shortcuts. */
import { expect } from "chai";
import { ADMIN_TOKEN, request, userBody, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";

/** An admin request relative to /admin/v1 with the admin token (or `token`). */
export function admin<T = any>(server: TestServer, method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<HttpResult<T>> {
  return request<T>(`${server.url}/admin/v1${path}`, method, {
    token: token ?? undefined,
    body,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
  });
}

/** Creates a user through SCIM and returns its id. */
export async function createUser(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await tenant.scim("POST", "/Users", userBody(userName, extra));
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body.id as string;
}

export async function deactivate(tenant: TestTenant, id: string): Promise<void> {
  const patched = await tenant.scim("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] });
  expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
}

export async function remove(tenant: TestTenant, id: string): Promise<void> {
  const removed = await tenant.scim("DELETE", `/Users/${id}`);
  expect(removed.status, JSON.stringify(removed.body)).to.equal(204);
}

/** Every audit entry of the tenant, newest first (one page of up to 1000). */
export async function auditOf(tenant: TestTenant, query = ""): Promise<any[]> {
  const page = await tenant.admin("GET", `/audit?count=1000${query ? `&${query}` : ""}`);
  expect(page.status, JSON.stringify(page.body)).to.equal(200);
  return page.body.entries;
}
