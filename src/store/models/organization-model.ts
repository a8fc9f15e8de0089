import mongoose, { Schema } from "mongoose";

/** An organization: tenants that share one pool of seats (issue #11, seed 002). */
export interface OrganizationDoc {
  _id: string;
  name: string;
  /** people the organization's tenants may hold together; null is unlimited */
  seatLimit: number | null;
  created: Date;
  /** set while a DELETE checks that no tenant is attached: an attach seeing it backs out */
  deletingSince?: Date | null;
}

const organizationSchema = new Schema<OrganizationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    seatLimit: { type: Number, default: null },
    created: { type: Date, required: true },
    deletingSince: { type: Date, default: null },
  },
  { versionKey: false, collection: "organizations", autoIndex: false, minimize: false },
);

export const OrganizationModel = mongoose.model<OrganizationDoc>("Organization", organizationSchema);
