/**
 * SCIM requests and checks shared by the HTTP, lifecycle and admin tests: creating
 * resources through the API, PatchOp bodies, reading users and groups back, listing,
 * and checking SCIM error messages. No mocha hooks, so the crash harness can use it too.
 */
import { expect } from "chai";
import { userBody, type HttpResult, type TestTenant } from "./test-server";
import { CORE_GROUP, ENTERPRISE, ERROR_SCHEMA, LIST_RESPONSE, PATCH_OP, ROSTER_GROUP } from "./urns";

/** `?filter=…` with the filter percent-encoded. */
export function filterQuery(filter: string, extra = ""): string {
  return `?filter=${encodeURIComponent(filter)}${extra ? `&${extra}` : ""}`;
}

/** POST /Users, expecting 201; returns the created resource. */
export async function createUser(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}): Promise<any> {
  const created = await tenant.scim("POST", "/Users", userBody(userName, extra));
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

/** createUser, returning only the new user's id. */
export async function createUserId(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await createUser(tenant, userName, extra)).id as string;
}

/** The enterprise extension with a manager, for userBody's `extra`. */
export function managedBy(managerId: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { [ENTERPRISE]: { manager: { value: managerId }, ...more } };
}

/** POST /Groups, expecting 201. */
export async function createGroup(tenant: TestTenant, displayName: string, memberIds: string[] = [], extra: Record<string, unknown> = {}): Promise<any> {
  const created = await tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName, members: memberIds.map((value) => ({ value })), ...extra });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

/** The Roster Group extension with a leader (manager), for createGroup's `extra`. */
export function ledBy(leaderId: string): Record<string, unknown> {
  return { schemas: [CORE_GROUP, ROSTER_GROUP], [ROSTER_GROUP]: { manager: { value: leaderId } } };
}

/** A PatchOp message. */
export function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Okta's deactivation: a path-less replace (IDP-TRAFFIC.md). */
export function deactivatePatch(): Record<string, unknown> {
  return patchOp({ op: "replace", value: { active: false } });
}

export function reactivatePatch(): Record<string, unknown> {
  return patchOp({ op: "replace", value: { active: true } });
}

/** PATCH `active` to false with a path, expecting 200. */
export async function deactivate(tenant: TestTenant, id: string): Promise<void> {
  const patched = await tenant.scim("PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: false }));
  expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
}

/** DELETE /Users/<id>, expecting 204. */
export async function remove(tenant: TestTenant, id: string): Promise<void> {
  const removed = await tenant.scim("DELETE", `/Users/${id}`);
  expect(removed.status, JSON.stringify(removed.body)).to.equal(204);
}

export async function getUser(tenant: TestTenant, id: string): Promise<HttpResult> {
  return tenant.scim("GET", `/Users/${id}`);
}

export function managerOf(user: any): string | undefined {
  return user?.[ENTERPRISE]?.manager?.value;
}

export async function groupLeaderOf(tenant: TestTenant, groupId: string): Promise<string | undefined> {
  const group = await tenant.scim("GET", `/Groups/${groupId}`);
  expect(group.status).to.equal(200);
  return group.body[ROSTER_GROUP]?.manager?.value;
}

/** Member ids of a group, sorted. */
export async function memberIds(tenant: TestTenant, groupId: string): Promise<string[]> {
  const read = await tenant.scim("GET", `/Groups/${groupId}`);
  expect(read.status).to.equal(200);
  return ((read.body.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
}

/** GET of a list, expecting 200; returns the ListResponse. */
export async function list(tenant: TestTenant, path: string): Promise<any> {
  const listed = await tenant.scim("GET", path);
  expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
  expect(listed.headers.get("content-type") ?? "").to.match(/^application\/scim\+json/);
  expect(listed.body.schemas).to.deep.equal([LIST_RESPONSE]);
  return listed.body;
}

/** GET /Users with a filter, expecting only 200 (unlike `list`, no check of the media type or schemas). */
export async function listUsers(tenant: TestTenant, filter: string): Promise<any> {
  const listed = await tenant.scim("GET", `/Users${filterQuery(filter)}`);
  expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
  return listed.body;
}

/** userNames of a filter's matches, sorted, for order-independent comparison. */
export async function userNamesMatching(tenant: TestTenant, filter: string): Promise<string[]> {
  const listed = await list(tenant, `/Users${filterQuery(filter)}`);
  expect(listed.totalResults).to.equal(listed.Resources.length);
  return listed.Resources.map((user: { userName: string }) => user.userName).sort();
}

/** Checks an RFC 7644 §3.12 error message, and that no stack trace or driver detail leaks. */
export function expectScimError(result: HttpResult, status: number, scimType?: string): void {
  expect(result.status, JSON.stringify(result.body)).to.equal(status);
  expect(result.headers.get("content-type") ?? "").to.match(/^application\/scim\+json/);
  expect(result.body.schemas).to.deep.equal([ERROR_SCHEMA]);
  expect(result.body.status).to.equal(String(status));
  if (scimType === undefined) expect(result.body).not.to.have.property("scimType");
  else expect(result.body.scimType).to.equal(scimType);
  expect(result.body.detail).to.be.a("string");
  expectNoStackTrace(result);
}

/** A response body never carries a stack trace (SPEC §3 Errors). */
export function expectNoStackTrace(result: HttpResult): void {
  const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body ?? "");
  expect(text).not.to.match(/\n\s+at |\bat .*\.(?:js|ts):\d+|node_modules|"stack"/);
}
