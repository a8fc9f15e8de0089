import { groupIdsOf } from "../store/membership-store";

/** Joins a group filter on `members.value` through the membership collection. */
export function membershipResolvers(tenant: string) {
  return { groupIdsWithMember: (userId: string) => groupIdsOf(tenant, userId) };
}
