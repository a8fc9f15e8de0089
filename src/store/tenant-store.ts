import type { Policy } from "../domain/types";
import { AdministratorModel, AuditModel, CredentialModel, EventDeliveryModel, EventKeyModel, EventSubscriptionModel, GroupModel, MembershipModel, OAuthAccessTokenModel, OAuthClientModel, TenantModel, TokenModel, TransitionModel, UserModel, type TenantDoc } from "./models";
import { forgetTenantAccessTokens } from "./oauth-store";
import { removeTenantFromOrganizationSeats } from "./organization-seat-store";
import { distrustTenantTokens } from "./token-store";
import { translateStoreError } from "./translate-store-error";

export type { TenantDoc };

/** A live tenant: one being deleted is already gone for every request (SPEC §6 DELETE /tenants). */
export async function findTenant(id: string): Promise<TenantDoc | null> {
  return TenantModel.findOne({ _id: id, deletingSince: null }).lean<TenantDoc>().exec();
}

export async function listTenants(): Promise<TenantDoc[]> {
  return TenantModel.find({ deletingSince: null }).sort({ _id: 1 }).lean<TenantDoc[]>().exec();
}

/** Ids of tenants whose deletion started and has not finished (a crash or a process stopped half-way). */
export async function findDeletingTenantIds(): Promise<string[]> {
  const docs = await TenantModel.find({ deletingSince: { $ne: null } }, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
  return docs.map((doc) => doc._id);
}

/** Creates a tenant; false when it exists already (live or being deleted). */
export async function insertTenant(id: string, name: string, now: Date): Promise<boolean> {
  try {
    await TenantModel.collection.insertOne({ _id: id, name, created: now, policy: {}, ownerId: null } as never);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw translateStoreError(error);
  }
}

export async function setPolicy(id: string, policy: Policy): Promise<boolean> {
  const result = await TenantModel.updateOne({ _id: id }, { $set: { policy } }).exec();
  return result.matchedCount === 1;
}

export async function setOwner(id: string, ownerId: string | null): Promise<boolean> {
  const result = await TenantModel.updateOne({ _id: id }, { $set: { ownerId } }).exec();
  return result.matchedCount === 1;
}

/** Collections keyed by tenant, in purge order: tokens first, so nothing authenticates while the rest goes. */
const TENANT_DATA = [TokenModel, OAuthAccessTokenModel, OAuthClientModel, UserModel, GroupModel, MembershipModel, CredentialModel, TransitionModel, AuditModel, EventSubscriptionModel, EventDeliveryModel, EventKeyModel] as unknown as Array<typeof UserModel>;

/**
 * Step 1 of a deletion: marks the tenant as being deleted, so every request
 * refuses it from now on (returns once no process trusts its tokens any more,
 * see LIVE_TOKEN_TRUST_MS). False when the tenant does not exist.
 */
export async function markTenantDeleting(id: string, now: Date): Promise<boolean> {
  const result = await TenantModel.updateOne({ _id: id, deletingSince: null }, { $set: { deletingSince: now } }).exec();
  if (result.matchedCount === 1) {
    // nothing is purged while any process may still take the tenant's tokens as live
    forgetTenantAccessTokens(id);
    await distrustTenantTokens(id);
    return true;
  }
  // already being deleted: the caller finishes the job
  if ((await TenantModel.exists({ _id: id }).exec()) === null) return false;
  forgetTenantAccessTokens(id);
  await distrustTenantTokens(id);
  return true;
}

/**
 * Step 2: deletes everything the tenant owns, then the tenant itself. Idempotent:
 * a crash half-way leaves the mark, and any process finishes the job (SPEC §6).
 */
export async function purgeTenantData(id: string): Promise<void> {
  const organizationId = (await TenantModel.findOne({ _id: id }, { organizationId: 1 }).lean<{ organizationId?: string | null }>().exec())?.organizationId;
  for (const model of TENANT_DATA) await model.deleteMany({ tenant: id }).exec();
  // its people leave the organization's seats before the tenant document, which a resumed purge needs to find them
  if (organizationId) await removeTenantFromOrganizationSeats(organizationId, id);
  await dropTenantFromAdministrators(id);
  await TenantModel.deleteOne({ _id: id, deletingSince: { $ne: null } }).exec();
}

/** Whether documents of a tenant id are left with no live tenant (a deletion cut short, or a write that raced it). */
export async function hasTenantLeftovers(id: string): Promise<boolean> {
  for (const model of TENANT_DATA) if (await model.exists({ tenant: id }).exec()) return true;
  return false;
}

/** Leftovers of a tenant id that has no tenant document: purged before the id is used again. */
export async function purgeOrphanTenantData(id: string): Promise<void> {
  for (const model of TENANT_DATA) await model.deleteMany({ tenant: id }).exec();
  await dropTenantFromAdministrators(id);
}

/** A deleted tenant leaves every administrator's scope: a tenant created later under the same id is not theirs. */
async function dropTenantFromAdministrators(id: string): Promise<void> {
  await AdministratorModel.updateMany({ tenants: id }, { $pull: { tenants: id } }).exec();
}

/** Deletes a tenant and everything it owns, its audit log included (SPEC §6): mark, then purge. */
export async function deleteTenantCascade(id: string, now = new Date()): Promise<boolean> {
  if (!(await markTenantDeleting(id, now))) return false;
  await purgeTenantData(id);
  return true;
}
