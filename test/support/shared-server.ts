/**
 * One app shared by the HTTP tests, and tenants deleted after each test. Importing
 * this module registers root-level mocha hooks, so only mocha test files import it
 * (not the crash harness or the fuzz runner, which also run outside mocha).
 */
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { newTenant, startTestServer, type TestServer, type TestTenant } from "./test-server";

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
