import type { Policy } from "../domain/types";
import { AuditModel, CredentialModel, GroupModel, MembershipModel, TenantModel, TokenModel, TransitionModel, UserModel, type TenantDoc } from "./models";
import { translateStoreError } from "./translate-store-error";

export type { TenantDoc };

export async function findTenant(id: string): Promise<TenantDoc | null> {
  return TenantModel.findById(id).lean<TenantDoc>().exec();
}

export async function listTenants(): Promise<TenantDoc[]> {
  return TenantModel.find({}).sort({ _id: 1 }).lean<TenantDoc[]>().exec();
}

/** Creates a tenant; false when it exists already. */
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

/** Deletes a tenant and everything it owns, its audit log included (SPEC §6). */
export async function deleteTenantCascade(id: string): Promise<boolean> {
  const result = await TenantModel.deleteOne({ _id: id }).exec();
  for (const model of [UserModel, GroupModel, MembershipModel, TokenModel, AuditModel, TransitionModel, CredentialModel]) {
    await (model as unknown as typeof UserModel).deleteMany({ tenant: id }).exec();
  }
  return result.deletedCount === 1;
}
