import mongoose, { Schema } from "mongoose";
import type { Policy } from "../../domain/types";

export interface TenantDoc {
  _id: string;
  name: string;
  created: Date;
  policy?: Partial<Policy>;
  ownerId?: string | null;
  /** set when a deletion started: the tenant is gone for every request, its data is being purged (SPEC §6) */
  deletingSince?: Date | null;
  /** the organization whose seat pool the tenant shares (issue #11); null when none */
  organizationId?: string | null;
}

const tenantSchema = new Schema<TenantDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    created: { type: Date, required: true },
    policy: { type: Schema.Types.Mixed },
    ownerId: { type: String, default: null },
    deletingSince: { type: Date, default: null },
    organizationId: { type: String, default: null },
  },
  { versionKey: false, collection: "tenants", autoIndex: false, minimize: false },
);

// deletions cut short, found by the background job (SPEC §6)
tenantSchema.index({ deletingSince: 1 });
// tenants of an organization (its seat pool, and DELETE refusing while any is attached)
tenantSchema.index({ organizationId: 1 });

export const TenantModel = mongoose.model<TenantDoc>("Tenant", tenantSchema);
