import mongoose, { Schema } from "mongoose";
import type { AdminRole } from "../../domain/admin-access";

/** A named administrator of the admin API (issue #13); server-wide, not a tenant's data. */
export interface AdministratorDoc {
  _id: string;
  name: string;
  email: string | null;
  role: AdminRole;
  /** tenant ids, or ["*"] */
  tenants: string[];
  /** SHA-256 of the bearer token, hex; the token itself is never stored (SPEC §7) */
  hash: string;
  createdAt: Date;
  updatedAt: Date;
}

const administratorSchema = new Schema<AdministratorDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, default: null },
    role: { type: String, required: true },
    tenants: { type: [String], required: true },
    hash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "administrators", autoIndex: false },
);

// authentication looks an administrator up by its token's hash
administratorSchema.index({ hash: 1 }, { unique: true });

export const AdministratorModel = mongoose.model<AdministratorDoc>("Administrator", administratorSchema);
