import mongoose, { Schema } from "mongoose";

/** A tenant's event subscription (RFC 8935 push or RFC 8936 poll). */
export interface EventSubscriptionDoc {
  _id: string;
  tenant: string;
  delivery: "push" | "poll";
  /** the receiver's endpoint (push) */
  url: string | null;
  /** event URIs wanted; null: every event */
  events: string[] | null;
  /** sent to a push receiver as `Authorization: Bearer <secret>`; never returned */
  secret: string | null;
  /** SHA-256 of the poll token (poll); the token itself is shown once */
  pollTokenHash: string | null;
  createdAt: Date;
}

/** One SET owed to one subscription; `_id` is `<subscription>:<audit entry>`, so a second fan-out is a no-op. */
export interface EventDeliveryDoc {
  _id: string;
  tenant: string;
  subscription: string;
  delivery: "push" | "poll";
  /** the audit entry the SET is built from, and the SET's `jti` */
  jti: string;
  events: string[];
  /** pending: not tried yet; failed: retried at nextAttemptAt; dead: given up (dead letter); delivered: 202 or acknowledged */
  status: "pending" | "failed" | "dead" | "delivered";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A tenant's signing key pair (ES256), created on first use. `_id` is the tenant. */
export interface EventKeyDoc {
  _id: string;
  tenant: string;
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
}

const options = { versionKey: false, autoIndex: false, strict: false } as const;

const subscriptionSchema = new Schema<EventSubscriptionDoc>({ _id: { type: String, required: true }, tenant: { type: String, required: true } }, { ...options, collection: "event_subscriptions" });
subscriptionSchema.index({ tenant: 1, createdAt: 1 });

const deliverySchema = new Schema<EventDeliveryDoc>({ _id: { type: String, required: true }, tenant: { type: String, required: true } }, { ...options, collection: "event_deliveries" });
// due pushes, oldest first; a poll subscription's owed SETs; an admin's view of one subscription
deliverySchema.index({ delivery: 1, status: 1, nextAttemptAt: 1 });
deliverySchema.index({ subscription: 1, status: 1, createdAt: 1 });

const keySchema = new Schema<EventKeyDoc>({ _id: { type: String, required: true }, tenant: { type: String, required: true } }, { ...options, collection: "event_keys" });

export const EventSubscriptionModel = mongoose.model<EventSubscriptionDoc>("EventSubscription", subscriptionSchema);
export const EventDeliveryModel = mongoose.model<EventDeliveryDoc>("EventDelivery", deliverySchema);
export const EventKeyModel = mongoose.model<EventKeyDoc>("EventKey", keySchema);
