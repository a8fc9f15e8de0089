import mongoose, { Schema } from "mongoose";
import type { Policy } from "../../domain/types";

export interface TenantDoc {
  _id: string;
  name: string;
  created: Date;
  policy?: Partial<Policy>;
  ownerId?: string | null;
}

const tenantSchema = new Schema<TenantDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    created: { type: Date, required: true },
    policy: { type: Schema.Types.Mixed },
    ownerId: { type: String, default: null },
  },
  { versionKey: false, collection: "tenants", autoIndex: false, minimize: false },
);

export const TenantModel = mongoose.model<TenantDoc>("Tenant", tenantSchema);
