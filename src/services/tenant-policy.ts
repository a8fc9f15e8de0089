import { RosterError } from "../domain/roster-error";
import { DEFAULT_POLICY, type Policy } from "../domain/types";
import { findTenant, type TenantDoc } from "../store/tenant-store";

export interface TenantSettings {
  tenant: TenantDoc;
  policy: Policy;
}

/** The tenant with its policy, defaults filled in (SPEC §6). */
export async function loadTenantSettings(tenantId: string): Promise<TenantSettings> {
  const tenant = await findTenant(tenantId);
  if (!tenant) throw RosterError.notFound(`Tenant ${tenantId} not found`);
  return { tenant, policy: { ...DEFAULT_POLICY, ...(tenant.policy ?? {}) } };
}
