import { checkOrganizationSeatAvailable, seatPerson, type Refusal } from "../domain";
import type { UserDoc } from "../store/documents";
import { findOrganization } from "../store/organization-store";
import { confirmOrganizationSeat, countOrganizationSeats, findOrganizationSeat, joinOrganizationSeat, leaveOrganizationSeat } from "../store/organization-seat-store";
import { findTenant } from "../store/tenant-store";
import { findAnyUser, hasLiveUserNamed } from "../store/user-store";

/**
 * The check before a create writes anything: a refusal when the organization is
 * full and the person holds none of its seats yet. Racing creates may all pass
 * it; {@link claimOrganizationSeat} after the insert is the one that decides.
 */
export async function organizationSeatRefusal(organizationId: string | null | undefined, userNameKey: string): Promise<Refusal | null> {
  if (!organizationId) return null;
  const organization = await findOrganization(organizationId);
  if (!organization || organization.seatLimit === null) return null;
  const seat = await findOrganizationSeat(organizationId, userNameKey);
  if (seat?.confirmed) return null;
  return checkOrganizationSeatAvailable(organizationId, (await countOrganizationSeats(organizationId)) + (seat ? 0 : 1), organization.seatLimit);
}

/**
 * Issue #11: a user just inserted takes its person's organization seat, or shares
 * the one the person holds in another tenant. Same scheme as the tenant's limit:
 * take first, then count, and back out when over. The seat is one document per
 * person, so two creates of different people racing for the last seat both see
 * both seats and at most one keeps its seat; a seat still unconfirmed (its
 * create not yet past the count) is no free ride: joining it counts too.
 * The tenant is read again after the insert: an attach that this read misses
 * started its pass over the tenant's users after the insert, and counts the user.
 * Returns a refusal (the seat given back) when no seat is left.
 */
export async function claimOrganizationSeat(tenantId: string, user: UserDoc): Promise<Refusal | null> {
  const organizationId = (await findTenant(tenantId))?.organizationId;
  const person = seatPerson(user);
  if (!organizationId || person === null) return null;
  const organization = await findOrganization(organizationId);
  if (!organization) return null;
  const limit = organization.seatLimit;
  const before = await joinOrganizationSeat(organizationId, person, tenantId, limit === null);
  if (!before?.confirmed && limit !== null) {
    const refusal = checkOrganizationSeatAvailable(organizationId, await countOrganizationSeats(organizationId), limit);
    if (refusal) {
      await leaveOrganizationSeat(organizationId, person, tenantId);
      return refusal;
    }
    await confirmOrganizationSeat(organizationId, person);
  }
  // a detach whose pass over the seats ran before this join: the seat is not the organization's to keep
  if ((await findTenant(tenantId))?.organizationId !== organizationId) await leaveOrganizationSeat(organizationId, person, tenantId);
  return null;
}

/**
 * The check before a rename writes anything: renaming a live user to a person who holds no
 * seat of the organization takes a new seat, so a full organization refuses it like a create
 * (otherwise create-a-shared-person-then-rename grows the pool without bound). Racing renames
 * may both pass it, as racing creates pass {@link organizationSeatRefusal}: one seat over, not a loop.
 */
export async function renameSeatRefusal(organizationId: string | null | undefined, before: UserDoc, after: UserDoc): Promise<Refusal | null> {
  const to = seatPerson(after);
  if (to === null || to === seatPerson(before)) return null;
  return organizationSeatRefusal(organizationId, to);
}

/**
 * After a write that may change who a live user is across the organization (a
 * rename, an erasure): the old person's seat loses this tenant, the new one's
 * gains it. Not refused here ({@link renameSeatRefusal} is asked before the write). A removal's seat
 * is given back by its cascade instead ({@link releaseRemovedUserSeat}), which
 * a crash cannot skip.
 */
export async function moveOrganizationSeat(tenantId: string, organizationId: string | null | undefined, before: UserDoc, after: UserDoc): Promise<void> {
  const from = seatPerson(before);
  const to = seatPerson(after);
  if (!organizationId || to === null || from === to) return;
  await joinOrganizationSeat(organizationId, to, tenantId, true);
  if (from !== null) await leaveOrganizationSeat(organizationId, from, tenantId);
}

/**
 * Step of a removal's cascade (SPEC §4 Remove: the seat is freed; issue #11): the
 * tenant leaves the removed person's organization seat, which is freed when no
 * other tenant holds it. Idempotent, so the sweep may run it again after a crash;
 * skipped when the tenant has a live user of that userName again (created since
 * the removal freed the name), whose seat it is now.
 */
export async function releaseRemovedUserSeat(tenantId: string, userId: string): Promise<void> {
  const organizationId = (await findTenant(tenantId))?.organizationId;
  if (!organizationId) return;
  const user = await findAnyUser(tenantId, userId);
  if (!user || !user.deletedAt || typeof user.userName !== "string") return;
  const person = user.userName.toLowerCase();
  if (await hasLiveUserNamed(tenantId, person)) return;
  await leaveOrganizationSeat(organizationId, person, tenantId);
}

/** The organization's pool as GET /seats reports it (issue #11), null when the tenant has none. */
export async function organizationSeatCount(organizationId: string | null | undefined): Promise<{ id: string; limit: number | null; used: number } | null> {
  if (!organizationId) return null;
  const organization = await findOrganization(organizationId);
  if (!organization) return null;
  return { id: organization._id, limit: organization.seatLimit, used: await countOrganizationSeats(organization._id) };
}
