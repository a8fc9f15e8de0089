import { countLiveUsers } from "../store/user-store";
import { organizationSeatCount } from "./organization-seats";
import { loadTenantSettings } from "./tenant-policy";

export interface SeatCounts {
  limit: number | null;
  used: number;
  /** the shared pool of the tenant's organization (issue #11), null when it has none */
  organization: { id: string; limit: number | null; used: number } | null;
}

/** SPEC §4 Seats, §6 GET /seats: active and deactivated users use a seat, removed ones do not. */
export async function getSeats(tenant: string): Promise<SeatCounts> {
  const { policy, tenant: doc } = await loadTenantSettings(tenant);
  return { limit: policy.seatLimit ?? null, used: await countLiveUsers(tenant), organization: await organizationSeatCount(doc.organizationId) };
}
