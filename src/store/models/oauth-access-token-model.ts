import mongoose, { Schema } from "mongoose";

/** An access token issued at /oauth/token, bound to one client of one tenant until `expiresAt`. */
export interface OAuthAccessTokenDoc {
  _id: string;
  tenant: string;
  clientId: string;
  /** SHA-256 of the opaque access token, hex (SPEC §7) */
  hash: string;
  /** the client's label when the token was issued (clients are never relabelled): the audit names it (issue #13) */
  label?: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const oauthAccessTokenSchema = new Schema<OAuthAccessTokenDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    clientId: { type: String, required: true },
    hash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: "oauth_access_tokens", autoIndex: false },
);

// authentication looks a token up by its hash before the tenant is known
oauthAccessTokenSchema.index({ hash: 1 }, { unique: true });
// a client's tokens: deleted with the client, and its expired ones when it gets a new one
oauthAccessTokenSchema.index({ clientId: 1, expiresAt: 1 });
oauthAccessTokenSchema.index({ tenant: 1 });
// no TTL index: FerretDB does not implement expireAfterSeconds, and authentication compares expiresAt itself

export const OAuthAccessTokenModel = mongoose.model<OAuthAccessTokenDoc>("OAuthAccessToken", oauthAccessTokenSchema);
