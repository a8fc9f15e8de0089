import { AdministratorModel, type AdministratorDoc } from "./models";

export type { AdministratorDoc };

export async function insertAdministrator(doc: AdministratorDoc): Promise<void> {
  await AdministratorModel.collection.insertOne(doc as never);
}

/**
 * The administrator with this token hash. Read on every admin request, never cached: a
 * deleted administrator's token, or a narrowed role or scope, takes effect with the next
 * request in every process (issue #13 "stops working at once"); admin traffic is small.
 */
export async function findAdministratorByHash(hash: string): Promise<AdministratorDoc | null> {
  return (await AdministratorModel.collection.findOne({ hash } as never)) as AdministratorDoc | null;
}

export async function findAdministrator(id: string): Promise<AdministratorDoc | null> {
  return (await AdministratorModel.collection.findOne({ _id: id } as never)) as AdministratorDoc | null;
}

/** Every administrator, oldest first (ids are time-ordered). */
export async function listAdministrators(): Promise<AdministratorDoc[]> {
  return AdministratorModel.find({}).sort({ createdAt: 1, _id: 1 }).lean<AdministratorDoc[]>().exec();
}

/** One write: the administrator as it is after the change, or null when there is none with this id. */
export async function updateAdministrator(id: string, change: Partial<Pick<AdministratorDoc, "name" | "email" | "role" | "tenants" | "updatedAt">>): Promise<AdministratorDoc | null> {
  return (await AdministratorModel.collection.findOneAndUpdate({ _id: id } as never, { $set: change }, { returnDocument: "after", includeResultMetadata: false })) as AdministratorDoc | null;
}

export async function deleteAdministrator(id: string): Promise<boolean> {
  return (await AdministratorModel.collection.deleteOne({ _id: id } as never)).deletedCount === 1;
}
