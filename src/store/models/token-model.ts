import mongoose, { Schema } from "mongoose";

export interface TokenDoc {
  _id: string;
  tenant: string;
  /** SHA-256 of the bearer token, hex; the token itself is never stored (SPEC §7) */
  hash: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const tokenSchema = new Schema<TokenDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    hash: { type: String, required: true },
    label: { type: String, default: null },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: "tokens", autoIndex: false },
);

// authentication looks a token up by its hash before the tenant is known
tokenSchema.index({ hash: 1 }, { unique: true });
tokenSchema.index({ tenant: 1, createdAt: 1 });

export const TokenModel = mongoose.model<TokenDoc>("Token", tokenSchema);
