import { randomBytes } from "node:crypto";
import { RosterError } from "../domain/roster-error";
import { appendAudit } from "../store/audit-store";
import {
  countDeliveries,
  deleteSubscription,
  findDelivery,
  findSubscription,
  insertSubscription,
  listDeliveries,
  listSubscriptions,
  updateDelivery,
  updateSubscription,
  type EventDeliveryDoc,
  type EventSubscriptionDoc,
} from "../store/event-store";
import { newId } from "../store/new-id";
import { getRuntime, type ActionContext } from "./context";
import { hashToken } from "./hash-token";
import { invalidPayload, validatePayload } from "./validate-payload";

interface SubscriptionPayload {
  delivery: "push" | "poll";
  url?: string | null;
  events?: string[] | null;
  secret?: string | null;
}

/** A subscription as the admin API shows it: never the secret nor the poll token. */
export interface SubscriptionView {
  id: string;
  delivery: "push" | "poll";
  url: string | null;
  events: string[] | null;
  hasSecret: boolean;
  /** where a poll receiver polls (RFC 8936), relative to the server */
  pollPath: string | null;
  createdAt: string;
  deliveries: Record<"pending" | "failed" | "dead", number>;
}

const DELIVERY_STATUSES = ["pending", "failed", "dead", "delivered"] as const;

function checkShape(payload: SubscriptionPayload): void {
  if (payload.delivery === "push" && !payload.url) throw invalidPayload([{ path: "/url", message: "is required for push delivery" }]);
  if (payload.delivery === "poll" && payload.url) throw invalidPayload([{ path: "/url", message: "is not allowed for poll delivery: the receiver polls Roster" }]);
  if (payload.delivery === "poll" && payload.secret) throw invalidPayload([{ path: "/secret", message: "is not allowed for poll delivery: the receiver authenticates with the poll token" }]);
}

export function pollPathOf(tenant: string, id: string): string {
  return `/events/v1/tenants/${tenant}/event-subscriptions/${id}/poll`;
}

async function view(doc: EventSubscriptionDoc): Promise<SubscriptionView> {
  const count = (status: string) => countDeliveries({ tenant: doc.tenant, subscription: doc._id, status });
  return {
    id: doc._id,
    delivery: doc.delivery,
    url: doc.url,
    events: doc.events,
    hasSecret: Boolean(doc.secret),
    pollPath: doc.delivery === "poll" ? pollPathOf(doc.tenant, doc._id) : null,
    createdAt: new Date(doc.createdAt).toISOString(),
    deliveries: { pending: await count("pending"), failed: await count("failed"), dead: await count("dead") },
  };
}

/** POST …/event-subscriptions: a poll subscription's token appears only in this answer; only its hash is stored. */
export async function createSubscription(ctx: ActionContext, payload: unknown): Promise<SubscriptionView & { pollToken?: string }> {
  const input = validatePayload<SubscriptionPayload>("eventSubscription", payload);
  checkShape(input);
  const now = getRuntime().now();
  const pollToken = input.delivery === "poll" ? `rse_${randomBytes(32).toString("base64url")}` : undefined;
  const doc: EventSubscriptionDoc = {
    _id: newId(),
    tenant: ctx.tenant,
    delivery: input.delivery,
    url: input.url ?? null,
    events: input.events ?? null,
    secret: input.secret ?? null,
    pollTokenHash: pollToken ? hashToken(pollToken) : null,
    createdAt: now,
  };
  await insertSubscription(doc);
  // its events start once every fan-out can see it: a fan-out that listed the subscriptions before
  // the insert landed only handles entries from before this second time
  doc.createdAt = getRuntime().now();
  await updateSubscription(ctx.tenant, doc._id, { createdAt: doc.createdAt });
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at: now, actor: ctx.actor, action: "eventSubscription.create", target: doc._id, after: { delivery: doc.delivery, url: doc.url, events: doc.events }, requestId: ctx.requestId });
  return { ...(await view(doc)), ...(pollToken ? { pollToken } : {}) };
}

export async function listSubscriptionViews(tenant: string): Promise<SubscriptionView[]> {
  return Promise.all((await listSubscriptions(tenant)).map(view));
}

async function getSubscription(tenant: string, id: string): Promise<EventSubscriptionDoc> {
  const doc = await findSubscription(tenant, id);
  if (!doc) throw RosterError.notFound(`Event subscription ${id} not found`);
  return doc;
}

export async function readSubscription(tenant: string, id: string): Promise<SubscriptionView> {
  return view(await getSubscription(tenant, id));
}

/** PUT …/event-subscriptions/{id}: url, events and secret change; the delivery method does not (create another). */
export async function replaceSubscription(ctx: ActionContext, id: string, payload: unknown): Promise<SubscriptionView> {
  const current = await getSubscription(ctx.tenant, id);
  const input = validatePayload<SubscriptionPayload>("eventSubscription", { delivery: current.delivery, ...(payload as object) });
  if (input.delivery !== current.delivery) throw invalidPayload([{ path: "/delivery", message: `cannot change (it is ${current.delivery}); create another subscription` }]);
  checkShape(input);
  const set = { url: input.url ?? null, events: input.events ?? null, secret: input.secret ?? null };
  if (!(await updateSubscription(ctx.tenant, id, set))) throw RosterError.notFound(`Event subscription ${id} not found`);
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at: getRuntime().now(), actor: ctx.actor, action: "eventSubscription.update", target: id, before: { url: current.url, events: current.events }, after: { url: set.url, events: set.events }, requestId: ctx.requestId });
  return view({ ...current, ...set });
}

/** DELETE …/event-subscriptions/{id}: the SETs still owed to it are dropped with it. */
export async function removeSubscription(ctx: ActionContext, id: string): Promise<void> {
  if (!(await deleteSubscription(ctx.tenant, id))) throw RosterError.notFound(`Event subscription ${id} not found`);
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at: getRuntime().now(), actor: ctx.actor, action: "eventSubscription.delete", target: id, requestId: ctx.requestId });
}

export interface DeliveryView {
  jti: string;
  events: string[];
  status: EventDeliveryDoc["status"];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

function deliveryView(doc: EventDeliveryDoc): DeliveryView {
  const owed = doc.status === "pending" || doc.status === "failed";
  return {
    jti: doc.jti,
    events: doc.events,
    status: doc.status,
    attempts: doc.attempts,
    nextAttemptAt: owed && doc.delivery === "push" ? new Date(doc.nextAttemptAt).toISOString() : null,
    lastError: doc.lastError,
    createdAt: new Date(doc.createdAt).toISOString(),
    deliveredAt: doc.deliveredAt ? new Date(doc.deliveredAt).toISOString() : null,
  };
}

/** GET …/{id}/deliveries?status=: newest first, 100 at most; by default the ones not delivered. */
export async function listDeliveryViews(tenant: string, id: string, status: unknown): Promise<DeliveryView[]> {
  await getSubscription(tenant, id);
  let statuses: string[] = ["pending", "failed", "dead"];
  if (status !== undefined) {
    if (typeof status !== "string" || !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
      throw invalidPayload([{ path: "/status", message: `must be one of ${DELIVERY_STATUSES.map((name) => JSON.stringify(name)).join(", ")}` }]);
    }
    statuses = [status];
  }
  return (await listDeliveries(tenant, id, statuses, 100)).map(deliveryView);
}

/** POST …/{id}/deliveries/{jti}/retry: a dead letter (or a failed push) is owed again, from the first attempt. */
export async function retryDelivery(tenant: string, id: string, jti: string): Promise<DeliveryView> {
  await getSubscription(tenant, id);
  const delivery = await findDelivery(tenant, id, jti);
  if (!delivery) throw RosterError.notFound(`No SET ${jti} for event subscription ${id}`);
  if (delivery.status === "delivered") throw RosterError.conflict(`SET ${jti} was delivered already`);
  const set = { status: "pending" as const, attempts: 0, nextAttemptAt: getRuntime().now(), lastError: null };
  await updateDelivery(delivery._id, set);
  return deliveryView({ ...delivery, ...set });
}
