import { RosterError } from "../domain/roster-error";
import { deleteTenantCascade, listTenants } from "../store/tenant-store";
import { createTenant } from "./tenant-admin";
import { validatePayload } from "./validate-payload";

export interface TenantSummary {
  id: string;
  name: string;
}

/** SPEC §6 POST /tenants: `{id, name?}` validated by schemas/admin-tenant-create.schema.json; 409 when it exists. */
export async function addTenant(payload: unknown): Promise<TenantSummary> {
  const { id, name } = validatePayload<{ id: string; name?: string }>("tenantCreate", payload);
  return createTenant(id, name);
}

/** SPEC §6 GET /tenants. */
export async function listTenantSummaries(): Promise<TenantSummary[]> {
  return (await listTenants()).map((tenant) => ({ id: tenant._id, name: tenant.name }));
}

/** SPEC §6 DELETE /tenants/{t}: the tenant and all its data, audit log included; 404 when unknown. */
export async function deleteTenant(id: string): Promise<void> {
  if (!(await deleteTenantCascade(id))) throw RosterError.notFound(`Tenant ${id} not found`);
}
