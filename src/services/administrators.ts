import { randomBytes, timingSafeEqual } from "node:crypto";
import { ALL_TENANTS, ROOT_ADMIN, type AdminIdentity, type AdminRole } from "../domain/admin-access";
import { RosterError } from "../domain/roster-error";
import { deleteAdministrator, findAdministratorByHash, insertAdministrator, listAdministrators, updateAdministrator, type AdministratorDoc } from "../store/administrator-store";
import { newId } from "../store/new-id";
import { findTenant } from "../store/tenant-store";
import { getRuntime } from "./context";
import { hashToken } from "./hash-token";
import { invalidPayload, validatePayload, type PayloadError } from "./validate-payload";

/** Prefix of every administrator token: tells it apart from SCIM tokens (`rst_`) and OAuth access tokens (`rat_`) in a leak report. */
export const ADMINISTRATOR_TOKEN_PREFIX = "rad_";

/** An administrator as GET /admin/v1/administrators lists it: never the token or its hash. */
export interface AdministratorView extends AdminIdentity {
  email: string | null;
  createdAt: string;
  updatedAt: string;
}

interface AdministratorFields {
  name?: string;
  email?: string | null;
  role?: AdminRole;
  tenants?: string[];
}

function viewOf(doc: AdministratorDoc): AdministratorView {
  return { id: doc._id, name: doc.name, email: doc.email ?? null, role: doc.role, tenants: [...doc.tenants], createdAt: new Date(doc.createdAt).toISOString(), updatedAt: new Date(doc.updatedAt).toISOString() };
}

/** `tenants` is ["*"] or a list of existing tenants: a typo would otherwise scope an administrator to nothing. */
async function checkTenants(tenants: string[] | undefined): Promise<void> {
  if (tenants === undefined) return;
  if (tenants.includes(ALL_TENANTS)) {
    if (tenants.length > 1) throw invalidPayload([{ path: "/tenants", message: 'is either ["*"] (every tenant) or a list of tenant ids, not both' }]);
    return;
  }
  const errors: PayloadError[] = [];
  for (const [index, tenant] of tenants.entries()) if (!(await findTenant(tenant))) errors.push({ path: `/tenants/${index}`, message: `is not a tenant (${tenant})` });
  if (errors.length) throw invalidPayload(errors);
}

/** POST /administrators (issue #13): the token appears only in this answer; only its hash is stored (SPEC §7). */
export async function createAdministrator(payload: unknown): Promise<AdministratorView & { token: string }> {
  const fields = validatePayload<Required<Pick<AdministratorFields, "name" | "role" | "tenants">> & AdministratorFields>("administratorCreate", payload);
  await checkTenants(fields.tenants);
  const token = `${ADMINISTRATOR_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = getRuntime().now();
  const doc: AdministratorDoc = { _id: newId(), name: fields.name, email: fields.email ?? null, role: fields.role, tenants: fields.tenants, hash: hashToken(token), createdAt: now, updatedAt: now };
  await insertAdministrator(doc);
  return { ...viewOf(doc), token };
}

export async function listAdministratorViews(): Promise<AdministratorView[]> {
  return (await listAdministrators()).map(viewOf);
}

/** PUT /administrators/{id}: name, email, role or scope; the next request with its token sees the change. */
export async function changeAdministrator(id: string, payload: unknown): Promise<AdministratorView> {
  const fields = validatePayload<AdministratorFields>("administratorUpdate", payload);
  await checkTenants(fields.tenants);
  const updated = await updateAdministrator(id, { ...fields, updatedAt: getRuntime().now() });
  if (!updated) throw RosterError.notFound(`Administrator ${id} not found`);
  return viewOf(updated);
}

/** DELETE /administrators/{id}: its token stops working with the next request (authentication reads the store every time). */
export async function removeAdministrator(id: string): Promise<void> {
  if (!(await deleteAdministrator(id))) throw RosterError.notFound(`Administrator ${id} not found`);
}

/**
 * The administrator a bearer token authenticates, or null: ROSTER_ADMIN_TOKEN (whose SHA-256
 * the caller passes) is root; any other token is looked up by its hash, compared in constant time.
 */
export async function authenticateAdministrator(token: string, rootHash: Buffer): Promise<AdminIdentity | null> {
  const hash = hashToken(token);
  const given = Buffer.from(hash, "hex");
  if (timingSafeEqual(given, rootHash)) return { ...ROOT_ADMIN, tenants: [...ROOT_ADMIN.tenants] };
  if (!token.startsWith(ADMINISTRATOR_TOKEN_PREFIX)) return null;
  const found = await findAdministratorByHash(hash);
  if (!found || !timingSafeEqual(Buffer.from(found.hash, "hex"), given)) return null;
  return { id: found._id, name: found.name, role: found.role, tenants: [...found.tenants] };
}
