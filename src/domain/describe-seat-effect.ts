/** What an offboarding does to seats, before the numbers (issue #11 part 3, seed 002). */
export interface SeatEffectDecision {
  tenantFreed: boolean;
  organizationFreed: boolean;
  reason: string;
}

/**
 * SPEC §4 Seats and issue #11: deactivation keeps every seat; removal frees the
 * tenant's seat, and the organization's only when no other of its tenants still
 * has the person (`otherTenants`).
 */
/** stands in `otherTenants` for a tenant outside the caller's scope: the person is elsewhere, not where */
export const HIDDEN_TENANT = "another tenant of the organization";

export function describeSeatEffect(action: "deactivate" | "remove", tenant: string, organization: { id: string; otherTenants: string[] } | null): SeatEffectDecision {
  switch (action) {
    case "deactivate":
      return { tenantFreed: false, organizationFreed: false, reason: "No seat is freed: a deactivated user keeps their seat until they are removed." };
    case "remove": {
      if (!organization) return { tenantFreed: true, organizationFreed: false, reason: `Removal frees their seat in tenant ${tenant}.` };
      const others = organization.otherTenants;
      if (!others.length) {
        return { tenantFreed: true, organizationFreed: true, reason: `Removal frees their seat in tenant ${tenant} and in organization ${organization.id}, as no other tenant of it has them.` };
      }
      const where = others.map((other) => (other === HIDDEN_TENANT ? other : `tenant ${other}`)).join(", ");
      return { tenantFreed: true, organizationFreed: false, reason: `Removal frees their seat in tenant ${tenant} but not in organization ${organization.id}: they are still in ${where}.` };
    }
    default: {
      const unknown: never = action;
      throw new TypeError(`unknown offboarding action ${String(unknown)}`);
    }
  }
}
