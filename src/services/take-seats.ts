import { RosterError, checkSeatAvailable, type Refusal } from "../domain";
import type { UserDoc } from "../store/documents";
import { countLiveUsers, deleteUserHard, insertUser } from "../store/user-store";
import { claimOrganizationSeat, organizationSeatRefusal } from "./organization-seats";
import type { TenantSettings } from "./tenant-policy";

/** Tries of a create that lost a race for the last seats while one still looked free. */
const SEAT_ATTEMPTS = 5;
/** Upper bound of the random wait before try n, times n (ms): racers spread out instead of colliding again. */
const SEAT_BACKOFF_MS = 15;

/**
 * SPEC §4 Seats and issue #11: inserts a new user only within the tenant's
 * seatLimit and its organization's. Each limit is checked by counting after
 * the insert (never over the limit, whatever the number of racing creates
 * and processes, with no transaction); the loser backs out, and when a seat
 * still looks free (racers that all backed out) it tries again after a random
 * wait, so racers for the last seats do not all end up refused.
 */
export async function insertUserWithinSeats(settings: TenantSettings, doc: UserDoc): Promise<void> {
  const tenant = settings.tenant._id;
  const tenantLimit = settings.policy.seatLimit;
  for (let attempt = 1; ; attempt++) {
    const before = await refusalBeforeInsert(settings, doc);
    if (before) throw RosterError.fromRefusal(before);
    await insertUser(doc);
    // counting seats reads every live user of the tenant: only when there is a limit
    let refusal: Refusal | null = tenantLimit !== null && (await countLiveUsers(tenant)) > tenantLimit ? checkSeatAvailable(tenantLimit, tenantLimit) : null;
    refusal ??= await claimOrganizationSeat(tenant, doc);
    if (!refusal) return;
    await deleteUserHard(tenant, doc._id);
    if (attempt >= SEAT_ATTEMPTS) throw RosterError.fromRefusal(refusal);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * SEAT_BACKOFF_MS * attempt));
  }
}

/** The refusal a create gets before writing anything when a limit is reached already. */
async function refusalBeforeInsert(settings: TenantSettings, doc: UserDoc): Promise<Refusal | null> {
  if (settings.policy.seatLimit !== null) {
    const refusal = checkSeatAvailable(await countLiveUsers(settings.tenant._id), settings.policy.seatLimit);
    if (refusal) return refusal;
  }
  return organizationSeatRefusal(settings.tenant.organizationId, doc.userNameKey);
}
