import mongoose, { Schema } from "mongoose";

export interface AuditDoc {
  /** deterministic for cascade steps (`<transition>:<step>`), so a resumed cascade never duplicates */
  _id: string;
  tenant: string;
  at: Date;
  actor: string;
  /** the administrator's name or the credential's label when the entry was written (issue #13) */
  actorName?: string;
  action: string;
  target: string;
  cause?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** a refusal's reason, or an administrator's reason for a transition */
  reason?: string;
  /** an administrator's hand-over choices as given (user.deactivate, user.remove) */
  choices?: Record<string, unknown>;
  requestId: string;
  /** names the request carried that the schemas do not know, ignored by policy (user.create/user.update) */
  ignoredAttributes?: string[];
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, required: true },
  },
  { strict: false, versionKey: false, collection: "audit", autoIndex: false, minimize: false },
);

// newest-first pages, and the `target` / `action` filters of GET /audit (SPEC §6)
auditSchema.index({ tenant: 1, at: -1, _id: -1 });
auditSchema.index({ tenant: 1, target: 1, at: -1 });
auditSchema.index({ tenant: 1, action: 1, at: -1 });
// "what did this administrator (or token) do" (issue #13)
auditSchema.index({ tenant: 1, actor: 1, at: -1 });
// entries caused by a user, for redaction on erase (SPEC §4 Erase)
auditSchema.index({ tenant: 1, cause: 1 });
// entries not yet fanned out to event subscriptions (the events outbox)
auditSchema.index({ eventsPending: 1, at: 1 });

export const AuditModel = mongoose.model<AuditDoc>("AuditEntry", auditSchema);
