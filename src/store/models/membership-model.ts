import mongoose, { Schema } from "mongoose";
import type { MembershipDoc } from "../documents";

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    groupId: { type: String, required: true },
    userId: { type: String, required: true },
    created: { type: Date, required: true },
    display: { type: String },
  },
  { versionKey: false, collection: "memberships", autoIndex: false },
);

// One document per (group, member): adding or removing one member of a 100,000-member
// group touches one document, and the unique index makes concurrent adds idempotent.
membershipSchema.index({ tenant: 1, groupId: 1, userId: 1 }, { unique: true });
// a user's groups (the read-only `groups` attribute, dropping memberships on removal)
membershipSchema.index({ tenant: 1, userId: 1 });

export const MembershipModel = mongoose.model<MembershipDoc>("Membership", membershipSchema);
