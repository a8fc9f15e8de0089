import mongoose, { Schema } from "mongoose";
import type { UserDoc } from "../documents";

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    version: { type: Number, required: true },
    userNameKey: { type: String, required: true },
  },
  { strict: false, versionKey: false, collection: "users", autoIndex: false },
);

// Indexes, tenant first (SPEC §10). Each one serves a named lookup on MongoDB; the embedded
// mongo-java-server uses one for a query that pins every key of it to values (no range, no null),
// the non-unique ones kept in memory (tools/mongo-java-server-launcher).
// `{tenant, _id}` stays non-unique: `_id` already serves id lookups everywhere, and changing an
// existing index's options makes createIndexes fail on a deployed MongoDB.
// - userName uniqueness and `userName eq` (Okta's lookup before create), sort by userName
userSchema.index({ tenant: 1, userNameKey: 1 }, { unique: true });
// - id lookups and the default, stable list order (uuidv7 ids are time ordered)
userSchema.index({ tenant: 1, _id: 1 });
// - `externalId eq` (Entra's matching attribute)
userSchema.index({ tenant: 1, externalId: 1 });
// - `emails.value eq` and `emails[type eq "work"].value eq` (multikey on the lowercase shadow)
userSchema.index({ tenant: 1, emailKeys: 1 });
// - direct reports of a leaving team leader (SPEC §4 Deactivate 3)
userSchema.index({ tenant: 1, "enterprise.manager.value": 1 });
// - leave dates that have passed (SPEC §4 Leave date)
userSchema.index({ tenant: 1, active: 1, "roster.leaveDate": 1 });
// - seat counting and lists that skip removed users
userSchema.index({ tenant: 1, deletedAt: 1 });

export const UserModel = mongoose.model<UserDoc>("User", userSchema);
