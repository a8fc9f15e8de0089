import { HIDDEN_TENANT, RosterError, describeSeatEffect } from "../domain";
import { findOrganizationTenants } from "../store/organization-store";
import { findLiveUser, hasLiveUserNamed } from "../store/user-store";
import { inScope } from "../domain/admin-access";
import { getSeats } from "./seats";

export type OffboardingAction = "deactivate" | "remove";

export interface SeatCount {
  limit: number | null;
  used: number;
}

export interface SeatEffect {
  /** does this action free a seat anywhere */
  freed: boolean;
  /** one sentence a person understands */
  reason: string;
  tenant: SeatCount & { freed: boolean };
  organization: (SeatCount & { id: string; freed: boolean; otherTenants: string[] }) | null;
}

/**
 * What deactivating or removing a user would do to seats now (SPEC §4 Seats,
 * issue #11 part 3): removal frees the tenant's seat, and the organization's
 * only when no other of its tenants has the person (same userName,
 * case-insensitively), those tenants listed in `otherTenants`; deactivation frees nothing.
 * One index lookup per other tenant of the organization. 404 for a removed or unknown user.
 */
export async function seatEffect(tenant: string, userId: string, action: OffboardingAction, scope?: readonly string[]): Promise<SeatEffect> {
  const user = await findLiveUser(tenant, userId);
  if (!user) throw RosterError.notFound(`User ${userId} not found`);
  const seats = await getSeats(tenant);
  const otherTenants: string[] = [];
  if (seats.organization) {
    for (const other of await findOrganizationTenants(seats.organization.id)) {
      if (other !== tenant && (await hasLiveUserNamed(other, user.userNameKey))) otherTenants.push(other);
    }
    // an administrator of some tenants learns that the person is elsewhere, never where (issue #13: scope is not disclosed)
    if (scope) otherTenants.splice(0, otherTenants.length, ...new Set(otherTenants.map((other) => (inScope({ tenants: [...scope] }, other) ? other : HIDDEN_TENANT))));
  }
  const decision = describeSeatEffect(action, tenant, seats.organization ? { id: seats.organization.id, otherTenants } : null);
  return {
    freed: decision.tenantFreed || decision.organizationFreed,
    reason: decision.reason,
    tenant: { limit: seats.limit, used: seats.used, freed: decision.tenantFreed },
    organization: seats.organization ? { ...seats.organization, freed: decision.organizationFreed, otherTenants } : null,
  };
}
