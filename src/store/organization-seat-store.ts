import { OrganizationSeatModel, UserModel, type OrganizationSeatDoc } from "./models";

const seatId = (organization: string, person: string) => `${organization}\u0000${person}`;

/** Used seats of an organization: the people holding one (an index count). */
export async function countOrganizationSeats(organization: string): Promise<number> {
  return OrganizationSeatModel.countDocuments({ organization }).exec();
}

export async function findOrganizationSeat(organization: string, person: string): Promise<OrganizationSeatDoc | null> {
  return (await OrganizationSeatModel.collection.findOne({ _id: seatId(organization, person) } as never)) as OrganizationSeatDoc | null;
}

/**
 * Adds a tenant to the holders of a person's seat, creating the seat if the
 * person held none; one atomic write, so racing creates of the same person
 * share one document. Returns the seat as it was before (null: it is new).
 */
export async function joinOrganizationSeat(organization: string, person: string, tenant: string, confirmed: boolean): Promise<OrganizationSeatDoc | null> {
  return (await OrganizationSeatModel.collection.findOneAndUpdate(
    { _id: seatId(organization, person) } as never,
    { $addToSet: { tenants: tenant }, $setOnInsert: { organization, person, confirmed } } as never,
    { upsert: true, returnDocument: "before" },
  )) as OrganizationSeatDoc | null;
}

export async function confirmOrganizationSeat(organization: string, person: string): Promise<void> {
  await OrganizationSeatModel.collection.updateOne({ _id: seatId(organization, person) } as never, { $set: { confirmed: true } } as never);
}

/** Takes a tenant off a person's seat; the seat is freed with its last tenant (issue #11: removal frees it only then). */
export async function leaveOrganizationSeat(organization: string, person: string, tenant: string): Promise<void> {
  const id = seatId(organization, person);
  await OrganizationSeatModel.collection.updateOne({ _id: id } as never, { $pull: { tenants: tenant } } as never);
  await OrganizationSeatModel.collection.deleteOne({ _id: id, tenants: { $size: 0 } } as never);
}

/** Page size of the passes over a tenant's users when it joins or leaves an organization. */
const SYNC_BATCH = 1000;

/**
 * A tenant joins an organization: every live user's person gets the tenant among its
 * holders. One pass over the tenant's users, done once per attach, never per create.
 */
export async function addTenantToOrganizationSeats(organization: string, tenant: string): Promise<void> {
  const cursor = UserModel.collection.find({ tenant, deletedAt: null } as never, { projection: { userNameKey: 1 } });
  let batch: unknown[] = [];
  const flush = async () => {
    if (batch.length) await OrganizationSeatModel.collection.bulkWrite(batch as never, { ordered: false });
    batch = [];
  };
  for await (const user of cursor) {
    const person = (user as unknown as { userNameKey: string }).userNameKey;
    batch.push({ updateOne: { filter: { _id: seatId(organization, person) }, update: { $addToSet: { tenants: tenant }, $setOnInsert: { organization, person, confirmed: true } }, upsert: true } });
    if (batch.length >= SYNC_BATCH) await flush();
  }
  await flush();
}

/** A tenant leaves an organization (detach, or the tenant's deletion): its people's seats go unless another tenant holds them. */
export async function removeTenantFromOrganizationSeats(organization: string, tenant: string): Promise<void> {
  await OrganizationSeatModel.collection.updateMany({ organization, tenants: tenant } as never, { $pull: { tenants: tenant } } as never);
  await OrganizationSeatModel.collection.deleteMany({ organization, tenants: { $size: 0 } } as never);
}
