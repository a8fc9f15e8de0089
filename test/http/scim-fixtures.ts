/**
 * Small helpers shared by the HTTP tests of the SCIM surface: creating
 * resources through the API, listing, and checking SCIM error messages.
 */
import { expect } from "chai";
import { UserModel } from "../../src/store/models";
import { newId } from "../../src/store/new-id";
import { testDatabaseKind } from "../support/root-hooks";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { newTenant, startTestServer, userBody, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";

let shared: Promise<TestServer> | undefined;

/**
 * One app (rate limiting off) for all HTTP tests of the SCIM surface. Every app start
 * runs a background-job sweep over every tenant of the run, which FerretDB makes slow,
 * so the files share this one; it is closed after the whole run.
 */
export function sharedTestServer(): Promise<TestServer> {
  shared ??= startTestServer();
  return shared;
}

after(async function closeSharedTestServer() {
  if (shared) await (await shared).close();
  shared = undefined;
});

const tenantsToRemove: string[] = [];

/**
 * newTenant, whose data is deleted after the test: FerretDB answers every query by
 * scanning its whole collection, so data left behind slows every later test of the run.
 */
export async function freshTenant(server: TestServer, prefix?: string): Promise<TestTenant> {
  const tenant = await newTenant(server, prefix);
  tenantsToRemove.push(tenant.id);
  return tenant;
}

afterEach(async function removeFreshTenants() {
  while (tenantsToRemove.length) await deleteTenantCascade(tenantsToRemove.pop()!);
});

export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ROSTER_USER = "urn:ietf:params:scim:schemas:extension:roster:2.0:User";
export const ROSTER_GROUP = "urn:ietf:params:scim:schemas:extension:roster:2.0:Group";
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** `?filter=…` with the filter percent-encoded. */
export function filterQuery(filter: string, extra = ""): string {
  return `?filter=${encodeURIComponent(filter)}${extra ? `&${extra}` : ""}`;
}

/** POST /Users, expecting 201. */
export async function createUser(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}): Promise<any> {
  const created = await tenant.scim("POST", "/Users", userBody(userName, extra));
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

/** POST /Groups, expecting 201. */
export async function createGroup(tenant: TestTenant, displayName: string, memberIds: string[] = [], extra: Record<string, unknown> = {}): Promise<any> {
  const created = await tenant.scim("POST", "/Groups", { schemas: [CORE_GROUP], displayName, members: memberIds.map((value) => ({ value })), ...extra });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

/** A PatchOp message. */
export function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** GET of a list, expecting 200; returns the ListResponse. */
export async function list(tenant: TestTenant, path: string): Promise<any> {
  const listed = await tenant.scim("GET", path);
  expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
  expect(listed.headers.get("content-type") ?? "").to.match(/^application\/scim\+json/);
  expect(listed.body.schemas).to.deep.equal([LIST_RESPONSE]);
  return listed.body;
}

/** userNames of a filter's matches, sorted, for order-independent comparison. */
export async function userNamesMatching(tenant: TestTenant, filter: string): Promise<string[]> {
  const listed = await list(tenant, `/Users${filterQuery(filter)}`);
  expect(listed.totalResults).to.equal(listed.Resources.length);
  return listed.Resources.map((user: { userName: string }) => user.userName).sort();
}

/** Member ids of a group, sorted. */
export async function memberIds(tenant: TestTenant, groupId: string): Promise<string[]> {
  const read = await tenant.scim("GET", `/Groups/${groupId}`);
  expect(read.status).to.equal(200);
  return ((read.body.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
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

/**
 * Inserts `count` users straight into the store, for paging limits that need
 * more users than creating them one request at a time would allow quickly.
 * The documents have the shape user-service writes.
 */
export async function insertUsersDirectly(tenantId: string, count: number, prefix = "bulk"): Promise<string[]> {
  const now = new Date();
  const docs = Array.from({ length: count }, (_unused, index) => {
    const userName = `${prefix}-${String(index).padStart(5, "0")}`;
    return {
      _id: newId(),
      tenant: tenantId,
      version: 1,
      created: now,
      lastModified: now,
      userName,
      userNameKey: userName.toLowerCase(),
      active: true,
      emailKeys: [],
      deletedAt: null,
    };
  });
  await UserModel.collection.insertMany(docs as never[]);
  return docs.map((doc) => doc._id);
}

/**
 * Skips a test FerretDB cannot run, printing why (SPEC §8: only those tests are skipped).
 * Call with the mocha context of a `function () {}` test.
 */
export function skipOnFerretDb(context: Mocha.Context, reason: string): void {
  if (testDatabaseKind() !== "ferretdb") return;
  process.stderr.write(`      skipped on FerretDB: "${context.test?.title}": ${reason}\n`);
  context.skip();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
