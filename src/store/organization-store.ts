import { OrganizationModel, OrganizationSeatModel, TenantModel, type OrganizationDoc } from "./models";
import { translateStoreError } from "./translate-store-error";

export type { OrganizationDoc };

/** A live organization (one whose DELETE is under way is gone already). */
export async function findOrganization(id: string): Promise<OrganizationDoc | null> {
  return OrganizationModel.findOne({ _id: id, deletingSince: null }).lean<OrganizationDoc>().exec();
}

export async function listOrganizations(): Promise<OrganizationDoc[]> {
  return OrganizationModel.find({ deletingSince: null }).sort({ _id: 1 }).lean<OrganizationDoc[]>().exec();
}

/** Creates an organization; false when the id is taken. */
export async function insertOrganization(doc: OrganizationDoc): Promise<boolean> {
  try {
    await OrganizationModel.collection.insertOne({ ...doc, deletingSince: null } as never);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw translateStoreError(error);
  }
}

export async function updateOrganization(id: string, changes: Pick<OrganizationDoc, "name" | "seatLimit">): Promise<boolean> {
  const result = await OrganizationModel.updateOne({ _id: id, deletingSince: null }, { $set: changes }).exec();
  return result.matchedCount === 1;
}

/** Ids of the live tenants attached to an organization, in id order. */
export async function findOrganizationTenants(organizationId: string): Promise<string[]> {
  const docs = await TenantModel.find({ organizationId }, { _id: 1, deletingSince: 1 }).sort({ _id: 1 }).lean<Array<{ _id: string; deletingSince?: Date | null }>>().exec();
  return docs.filter((doc) => doc.deletingSince == null).map((doc) => doc._id);
}

/**
 * Deletes an organization no tenant is attached to, its seats first. The mark goes
 * first and an attach re-reads the organization after writing, so an attach racing
 * the DELETE either is seen here or sees the mark and backs out. A DELETE cut short
 * leaves the mark (the organization is gone for every request, its id taken); a
 * second DELETE finishes it.
 */
export async function deleteUnusedOrganization(id: string, now: Date): Promise<"deleted" | "notFound" | "inUse"> {
  const marked = await OrganizationModel.updateOne({ _id: id }, { $set: { deletingSince: now } }).exec();
  if (marked.matchedCount !== 1) return "notFound";
  if ((await TenantModel.exists({ organizationId: id }).exec()) !== null) {
    await OrganizationModel.updateOne({ _id: id }, { $set: { deletingSince: null } }).exec();
    return "inUse";
  }
  await OrganizationSeatModel.collection.deleteMany({ organization: id } as never);
  await OrganizationModel.deleteOne({ _id: id }).exec();
  return "deleted";
}

/** Points a tenant at an organization (or none); false when the tenant does not exist. */
export async function setTenantOrganization(tenant: string, organizationId: string | null): Promise<boolean> {
  const result = await TenantModel.updateOne({ _id: tenant, deletingSince: null }, { $set: { organizationId } }).exec();
  return result.matchedCount === 1;
}
