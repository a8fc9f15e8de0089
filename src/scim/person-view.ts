import type { ScimJson } from "../domain/types";
import { findGroupIdsLedBy, findGroups } from "../store/group-store";
import { findLiveUsers, findReportIds } from "../store/user-store";
import { readResource } from "./serve-resource";

/** A user named beside the person: enough to show and link them. */
export interface PersonRef {
  id: string;
  userName: string;
  displayName: string | null;
  active: boolean;
}

export interface PersonGroup {
  id: string;
  displayName: string;
  member: boolean;
  /** the person is the group's leader (Roster extension `manager`) */
  leads: boolean;
}

/** GET /admin/v1/tenants/{t}/users/{id}: the SCIM User with the people and groups around it (the console's person page). */
export interface PersonView {
  user: ScimJson;
  manager: PersonRef | null;
  reports: PersonRef[];
  groups: PersonGroup[];
}

const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export async function readPerson(tenant: string, id: string, basepath: string): Promise<PersonView> {
  // the same read, groups and errors as GET /scim/v2/Users/{id}
  const user = await readResource("User", tenant, id, { withMemberships: true, basepath });
  const managerId = ((user[ENTERPRISE_USER] as ScimJson | undefined)?.manager as ScimJson | undefined)?.value as string | undefined;
  const [reportIds, ledIds] = await Promise.all([findReportIds(tenant, id), findGroupIdsLedBy(tenant, id)]);
  const people = await findLiveUsers(tenant, [...reportIds, ...(managerId ? [managerId] : [])], { _id: 1, userName: 1, displayName: 1, active: 1 });
  const ref = (doc: (typeof people)[number]): PersonRef => ({ id: doc._id, userName: doc.userName, displayName: doc.displayName ?? null, active: doc.active });
  const byId = new Map(people.map((doc) => [doc._id, ref(doc)]));
  const memberOf = ((user.groups as Array<{ value: string; display: string }> | undefined) ?? []).map((group) => ({ id: group.value, displayName: group.display }));
  const memberIds = new Set(memberOf.map((group) => group.id));
  const ledOnly = await findGroups(tenant, ledIds.filter((groupId) => !memberIds.has(groupId)));
  const led = new Set(ledIds);
  const groups = [
    ...memberOf.map((group) => ({ ...group, member: true, leads: led.has(group.id) })),
    ...ledOnly.map((group) => ({ id: group._id, displayName: group.displayName, member: false, leads: true })),
  ].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return {
    user,
    manager: managerId ? byId.get(managerId) ?? null : null,
    reports: reportIds.map((reportId) => byId.get(reportId)).filter((report): report is PersonRef => report !== undefined).sort((a, b) => a.userName.localeCompare(b.userName)),
    groups,
  };
}
