/**
 * Test access to the store itself, beside the API: seeding many users at once, and
 * reading what the lifecycle rules wrote (audit log, credentials, transitions,
 * token ids) so the tests see every entry at once.
 */
import { hashToken } from "../../src/services/hash-token";
import { queryAudit, type AuditDoc } from "../../src/store/audit-store";
import { listCredentials } from "../../src/store/credential-store";
import { TransitionModel, UserModel, type TransitionDoc } from "../../src/store/models";
import { newId } from "../../src/store/new-id";
import { findTokenByHash } from "../../src/store/token-store";
import { testDatabaseKind } from "./root-hooks";
import type { CredentialState } from "./admin";
import type { TestTenant } from "./test-server";

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

/** Audit entries of the tenant as stored, newest first (what GET /audit pages through, SPEC §6). */
export async function storedAuditOf(tenant: TestTenant, filter: { action?: string; target?: string } = {}): Promise<AuditDoc[]> {
  return queryAudit({ tenant: tenant.id, ...filter, limit: 1000 });
}

/** Credentials as stored, for a removed user whom the admin API no longer shows (SPEC §6: 404). */
export async function storedCredentialsOf(tenant: TestTenant, userId: string): Promise<CredentialState[]> {
  return (await listCredentials(tenant.id, userId)).map((c) => ({ id: c._id, kind: c.kind, revokedAt: c.revokedAt }));
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

/**
 * Skips a test FerretDB cannot run, printing why (SPEC §8: only those tests are skipped).
 * Call with the mocha context of a `function () {}` test.
 */
export function skipOnFerretDb(context: Mocha.Context, reason: string): void {
  if (testDatabaseKind() !== "ferretdb") return;
  process.stderr.write(`      skipped on FerretDB: "${context.test?.title}": ${reason}\n`);
  context.skip();
}
