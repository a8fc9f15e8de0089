import mongoose, { Schema } from "mongoose";

/** A session or API key a host application registered for a user (SPEC §6). */
export interface CredentialDoc {
  _id: string;
  tenant: string;
  userId: string;
  kind: "session" | "apiKey";
  label: string | null;
  /** SHA-256 of an API key; sessions carry no secret here */
  hash?: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const credentialSchema = new Schema<CredentialDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    label: { type: String, default: null },
    hash: { type: String },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: "credentials", autoIndex: false },
);

credentialSchema.index({ tenant: 1, userId: 1, kind: 1 });

export const CredentialModel = mongoose.model<CredentialDoc>("Credential", credentialSchema);
