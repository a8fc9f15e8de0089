import { RosterError } from "../domain/roster-error";
import type { Logger } from "pino";
import { acquireLease, releaseLease } from "../store/lease-store";
import { deleteTenantCascade, findDeletingTenantIds, listTenants, purgeTenantData } from "../store/tenant-store";
import { getRuntime } from "./context";
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

/**
 * SPEC §6 DELETE /tenants/{t}: the tenant and all its data, audit log included;
 * 404 when unknown. Ordered: the tenant is marked first, so its tokens stop
 * authenticating at once; a deletion cut short is finished by the background
 * job, and a DELETE of a tenant being deleted finishes it too.
 */
export async function deleteTenant(id: string): Promise<void> {
  if (!(await deleteTenantCascade(id, getRuntime().now()))) throw RosterError.notFound(`Tenant ${id} not found`);
}

/** Background job: finishes deletions cut short by a crash, one process per tenant (SPEC §10). */
export async function finishTenantDeletions(logger: Logger): Promise<number> {
  const runtime = getRuntime();
  let finished = 0;
  for (const id of await findDeletingTenantIds()) {
    const job = `tenant-delete:${id}`;
    try {
      if (!(await acquireLease(job, runtime.processId, runtime.leaseMs, runtime.now()))) continue;
      try {
        await purgeTenantData(id);
        finished++;
        logger.warn({ tenant: id }, "finished deleting a tenant with all its data and audit log");
      } finally {
        await releaseLease(job, runtime.processId);
      }
    } catch (error) {
      logger.error({ err: error, tenant: id }, "finishing a tenant deletion failed");
    }
  }
  return finished;
}
