import mongoose, { Schema } from "mongoose";
import type { Effect } from "../../domain/types";

export interface TransitionDoc {
  _id: string;
  tenant: string;
  userId: string;
  /** the user's version the commit write replaces; the sweep fences it before aborting (SPEC §4 Crash safety) */
  userVersion: number;
  action: "user.deactivate" | "user.reactivate" | "user.remove";
  actor: string;
  /** the actor's name at the request, for the cascade's audit entries (issue #13) */
  actorName?: string;
  requestId: string;
  at: Date;
  /** the main audit entry's before/after, written as the cascade's first step */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  effects: Effect[];
  /** an administrator's reason (POST …/deactivate|remove|reactivate), written on every audit entry of the transition */
  reason?: string;
  /** the administrator's successor and reassign choices as given, written on the transition's own audit entry */
  choices?: Record<string, unknown>;
  /** indexes of effects already applied */
  done: number[];
  status: "pending" | "complete" | "aborted";
  /** set right after the user's commit write landed: a pending transition marked so is always resumed */
  committed?: boolean;
  leaseOwner: string;
  leaseUntil: Date;
}

const transitionSchema = new Schema<TransitionDoc>(
  {
    _id: { type: String, required: true },
    tenant: { type: String, required: true },
    userId: { type: String, required: true },
    status: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
  },
  { strict: false, versionKey: false, collection: "transitions", autoIndex: false, minimize: false },
);

// the resumption sweep: pending transitions of a tenant whose lease expired
transitionSchema.index({ tenant: 1, status: 1, leaseUntil: 1 });

export const TransitionModel = mongoose.model<TransitionDoc>("Transition", transitionSchema);
