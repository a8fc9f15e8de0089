import mongoose, { Schema } from "mongoose";

/** An OAuth 2.0 client of a tenant (RFC 6749 §4.4); `_id` is its client_id. */
export interface OAuthClientDoc {
  _id: string;
  tenant: string;
  /** SHA-256 of the client secret, hex; the secret itself is never stored (SPEC §7) */
  secretHash: string;
  label: string | null;
  createdAt: Date;
}

const oauthClientSchema = new Schema<OAuthClientDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    secretHash: { type: String, required: true },
    label: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "oauth_clients", autoIndex: false },
);

oauthClientSchema.index({ tenant: 1, createdAt: 1 });

export const OAuthClientModel = mongoose.model<OAuthClientDoc>("OAuthClient", oauthClientSchema);
