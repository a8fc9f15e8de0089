import { countLiveUsers } from "../store/user-store";
import { loadTenantSettings } from "./tenant-policy";

/** SPEC §4 Seats, §6 GET /seats: active and deactivated users use a seat, removed ones do not. */
export async function getSeats(tenant: string): Promise<{ limit: number | null; used: number }> {
  const { policy } = await loadTenantSettings(tenant);
  return { limit: policy.seatLimit ?? null, used: await countLiveUsers(tenant) };
}
