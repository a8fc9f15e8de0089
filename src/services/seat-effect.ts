import { RosterError } from "../domain/roster-error";
import { countLiveUsers, findLiveUser } from "../store/user-store";
import { loadTenantSettings } from "./tenant-policy";

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
 * Whether deactivating or removing the user frees a seat (SPEC §4 Seats: active and
 * deactivated users use one, removed ones do not). This version knows the tenant
 * only; organizations (a seat pool shared across tenants) replace it.
 */
export async function seatEffect(tenant: string, userId: string, action: OffboardingAction): Promise<SeatEffect> {
  const { policy } = await loadTenantSettings(tenant);
  const user = await findLiveUser(tenant, userId);
  if (!user) throw RosterError.notFound(`User ${userId} not found`);
  const counted: SeatCount = { limit: policy.seatLimit ?? null, used: await countLiveUsers(tenant) };
  const freed = action === "remove";
  const reason = freed ? "Removing the user frees their seat in this tenant." : "A deactivated user keeps their seat: only removal frees it.";
  return { freed, reason, tenant: { ...counted, freed }, organization: null };
}
