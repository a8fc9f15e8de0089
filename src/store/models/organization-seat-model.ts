import mongoose, { Schema } from "mongoose";

/**
 * One person holding a seat of an organization: the live users of its tenants
 * whose userName is `person` case-insensitively (the users' `userNameKey`).
 * The organization's used seats are the number of these documents, an index
 * count rather than a pass over every user of every tenant.
 */
export interface OrganizationSeatDoc {
  /** `<organization>\u0000<person>`: one document per person, whatever the number of creates racing */
  _id: string;
  organization: string;
  person: string;
  /** tenants of the organization where the person has a live user; the seat goes with the last one */
  tenants: string[];
  /** false while the create that took it has not yet seen the organization within its limit */
  confirmed: boolean;
}

const organizationSeatSchema = new Schema<OrganizationSeatDoc>(
  {
    _id: { type: String, required: true },
    organization: { type: String, required: true },
    person: { type: String, required: true },
    tenants: { type: [String], default: [] },
    confirmed: { type: Boolean, required: true },
  },
  { versionKey: false, collection: "organization_seats", autoIndex: false },
);

// - used seats of an organization (one key pinned: an index count on every backend)
organizationSeatSchema.index({ organization: 1 });

export const OrganizationSeatModel = mongoose.model<OrganizationSeatDoc>("OrganizationSeat", organizationSeatSchema);
