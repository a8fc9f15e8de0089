import type { OffboardingFacts, UserFacts } from "../domain/types";
import type { UserDoc } from "../store/documents";
import { findGroupIdsLedBy } from "../store/group-store";
import type { TenantDoc } from "../store/tenant-store";
import { findLiveUser, findReportIds } from "../store/user-store";

export function userFacts(doc: UserDoc): UserFacts {
  return { id: doc._id, active: doc.active, removed: Boolean(doc.deletedAt), managerId: doc.enterprise?.manager?.value ?? null };
}

/** Loads what an offboarding is decided on (SPEC §4 Deactivate 2–3); the rules ignore a leaver listed as its own report. */
export async function loadOffboardingFacts(leaver: UserDoc, tenant: TenantDoc): Promise<OffboardingFacts> {
  const [reportIds, groupIdsLed, owner, manager] = await Promise.all([
    findReportIds(leaver.tenant, leaver._id),
    findGroupIdsLedBy(leaver.tenant, leaver._id),
    tenant.ownerId ? findLiveUser(leaver.tenant, tenant.ownerId) : Promise.resolve(null),
    leaver.enterprise?.manager?.value ? findLiveUser(leaver.tenant, leaver.enterprise.manager.value) : Promise.resolve(null),
  ]);
  return { reportIds, groupIdsLed, owner: owner ? userFacts(owner) : null, leaverManager: manager ? userFacts(manager) : null };
}
