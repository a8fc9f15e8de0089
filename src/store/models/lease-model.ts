import mongoose, { Schema } from "mongoose";

/** One lease per background job so two processes never run it at once (SPEC §10). */
export interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { versionKey: false, collection: "leases", autoIndex: false },
);

export const LeaseModel = mongoose.model<LeaseDoc>("Lease", leaseSchema);
