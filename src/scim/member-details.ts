import type { ScimJson } from "../domain/types";
import { findLiveUsers } from "../store/user-store";

/**
 * Gives each member of these groups its `display` (the user's displayName, or userName when that
 * is empty) and `$ref` (RFC 7643 §4.2), reading every member of every group with one users query.
 * `usersBase` is this request's `…/scim/v2/Users`, as meta.location is built per request.
 * Groups without `members` (excludedAttributes=members) cost no read at all.
 */
export async function withMemberDetails(tenant: string, groups: ScimJson[], usersBase: string): Promise<ScimJson[]> {
  const lists = groups.map((group) => (Array.isArray(group.members) ? (group.members as ScimJson[]) : undefined));
  const ids = [...new Set(lists.flatMap((members) => (members ?? []).map((member) => member.value as string)))];
  if (!ids.length) return groups;
  const users = await findLiveUsers(tenant, ids, { displayName: 1, userName: 1 });
  const displays = new Map(users.map((user) => [user._id, user.displayName || user.userName]));
  return groups.map((group, index) => {
    const members = lists[index];
    if (!members) return group;
    return {
      ...group,
      members: members.map((member) => {
        const value = member.value as string;
        const display = displays.get(value);
        return { value, ...(display ? { display } : {}), $ref: `${usersBase}/${value}`, type: "User" };
      }),
    };
  });
}

/** `…/scim/v2/Groups` (a group's meta.location base) → `…/scim/v2/Users`. */
export function usersBaseOf(groupsBase: string): string {
  return groupsBase.replace(/\/Groups$/, "/Users");
}
