import mongoose, { Schema } from "mongoose";
import type { GroupDoc } from "../documents";

const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    version: { type: Number, required: true },
    displayName: { type: String, required: true },
    displayNameKey: { type: String, required: true },
  },
  { strict: false, versionKey: false, collection: "groups", autoIndex: false },
);

// displayName uniqueness and Entra's `displayName eq` lookup
groupSchema.index({ tenant: 1, displayNameKey: 1 }, { unique: true });
groupSchema.index({ tenant: 1, _id: 1 });
groupSchema.index({ tenant: 1, externalId: 1 });
// groups led by a leaving team leader (SPEC §4 Deactivate 3)
groupSchema.index({ tenant: 1, "roster.manager.value": 1 });

export const GroupModel = mongoose.model<GroupDoc>("Group", groupSchema);
