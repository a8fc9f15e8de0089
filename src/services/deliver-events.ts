import { SignJWT } from "jose";
import { afterFailedPush, eventUrisOf, securityEventClaims, subscriptionWants, type LeaverManager } from "../domain";
import { EVENT_URIS } from "../domain/security-event";
import type { AuditDoc } from "../store/audit-store";
import {
  clearEventsPending,
  countDeliveries,
  deleteDeliveries,
  findAuditEntry,
  findDuePushes,
  findPendingEventEntries,
  insertDeliveries,
  listSubscriptions,
  updateDelivery,
  type EventDeliveryDoc,
  type EventSubscriptionDoc,
} from "../store/event-store";
import { findAnyUser } from "../store/user-store";
import { getRuntime } from "./context";
import { EVENT_SIGNING_ALG, tenantSigningKey } from "./event-keys";

/** How pushes are retried (ROSTER_EVENT_* settings). */
export interface EventDeliverySettings {
  maxAttempts: number;
  retryMs: number;
  timeoutMs: number;
}

const FAN_OUT_BATCH = 500;
const PUSH_BATCH = 50;
/** RFC 8417 §2.3: the media type of a SET, in its `typ` header and as the push body's Content-Type (RFC 8935 §2) */
export const SET_MEDIA_TYPE = "application/secevent+jwt";

/**
 * Turns audit entries written as events into one delivery per subscription that
 * wants them, then clears the entries' mark. Deliveries have derived ids, so a
 * crash between the two writes only repeats the fan-out. A subscription gets the
 * events of changes recorded (`at`) after it was created. Returns the number of entries fanned out.
 */
export async function fanOutEvents(): Promise<number> {
  const entries = await findPendingEventEntries(FAN_OUT_BATCH);
  if (!entries.length) return 0;
  const subscriptions = new Map<string, EventSubscriptionDoc[]>();
  const now = getRuntime().now();
  const deliveries: EventDeliveryDoc[] = [];
  for (const entry of entries) {
    if (!subscriptions.has(entry.tenant)) subscriptions.set(entry.tenant, await listSubscriptions(entry.tenant));
    const events = eventUrisOf(entry);
    for (const subscription of subscriptions.get(entry.tenant)!) {
      // changes from before the subscription existed are not its events
      if (new Date(entry.at).getTime() < new Date(subscription.createdAt).getTime() || !subscriptionWants(subscription.events, events)) continue;
      deliveries.push({
        _id: `${subscription._id}:${entry._id}`,
        tenant: entry.tenant,
        subscription: subscription._id,
        delivery: subscription.delivery,
        jti: entry._id,
        events,
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
        deliveredAt: null,
      });
    }
  }
  await insertDeliveries(deliveries);
  await clearEventsPending(entries.map((entry) => entry._id));
  return entries.length;
}

/**
 * A delivery's SET, signed with the tenant's key. Built now from the audit entry as
 * stored, so an erase that redacted the entry also redacts every SET not yet delivered.
 * Null when the entry is gone (its tenant is being deleted).
 */
export async function signedSet(delivery: EventDeliveryDoc, audience: string): Promise<string | null> {
  const entry = await findAuditEntry(delivery.tenant, delivery.jti);
  if (!entry) return null;
  const claims = securityEventClaims(entry, await leaverManager(entry));
  if (!claims) return null;
  const { kid, key } = await tenantSigningKey(delivery.tenant);
  return new SignJWT({ ...claims, aud: audience }).setProtectedHeader({ alg: EVENT_SIGNING_ALG, kid, typ: "secevent+jwt" }).sign(key);
}

/** The manager of a user whose leave date passed: the one a receiver notifies. */
async function leaverManager(entry: AuditDoc): Promise<LeaverManager | null> {
  if (!eventUrisOf(entry).includes(EVENT_URIS.leaveDatePassed)) return null;
  const manager = (await findAnyUser(entry.tenant, entry.target))?.enterprise?.manager;
  if (!manager?.value) return null;
  return { value: manager.value, ...(manager.displayName ? { displayName: manager.displayName } : {}) };
}

/** The `aud` of a subscription's SETs: the receiver's URL (push) or the subscription (poll). */
export function audienceOf(subscription: Pick<EventSubscriptionDoc, "_id" | "delivery" | "url">): string {
  return subscription.delivery === "push" && subscription.url ? subscription.url : `urn:roster:event-subscription:${subscription._id}`;
}

/** SETs not delivered, by state, across tenants: for the metrics collector (pending, failed and dead gauges). */
export async function eventDeliveryCounts(): Promise<Record<"pending" | "failed" | "dead", number>> {
  // `delivery` leads the index on {delivery, status, nextAttemptAt}: naming both methods keeps each count on it
  const by = (status: string) => countDeliveries({ delivery: { $in: ["push", "poll"] }, status });
  return { pending: await by("pending"), failed: await by("failed"), dead: await by("dead") };
}

export async function hasDuePushes(): Promise<boolean> {
  return (await findDuePushes(getRuntime().now(), 1)).length > 0;
}

/**
 * Pushes the SETs due now (RFC 8935): 202 delivers, anything else (another status,
 * a timeout, a refused connection) is retried with backoff until the dead letter.
 * The pushes of one batch run at once, each bounded by `timeoutMs`.
 */
export async function pushDueEvents(settings: EventDeliverySettings): Promise<{ delivered: number; failed: number }> {
  const due = await findDuePushes(getRuntime().now(), PUSH_BATCH);
  const subscriptions = new Map<string, EventSubscriptionDoc | undefined>();
  for (const delivery of due) {
    if (!subscriptions.has(delivery.subscription)) {
      for (const subscription of await listSubscriptions(delivery.tenant)) subscriptions.set(subscription._id, subscription);
      if (!subscriptions.has(delivery.subscription)) subscriptions.set(delivery.subscription, undefined);
    }
  }
  // owed to a subscription deleted since (a fan-out that raced the DELETE inserted them after it):
  // they go with it, and never again fill a batch that would stall every tenant's pushes
  const orphans = due.filter((delivery) => !subscriptions.get(delivery.subscription)?.url);
  await deleteDeliveries(orphans.map((delivery) => delivery._id));
  const owed = due.filter((delivery) => !orphans.includes(delivery));
  const outcomes = await Promise.all(owed.map((delivery) => pushOne(delivery, subscriptions.get(delivery.subscription)!, settings)));
  const delivered = outcomes.filter(Boolean).length;
  return { delivered, failed: owed.length - delivered };
}

async function pushOne(delivery: EventDeliveryDoc, subscription: EventSubscriptionDoc, settings: EventDeliverySettings): Promise<boolean> {
  let error: string;
  try {
    const set = await signedSet(delivery, audienceOf(subscription));
    if (set === null) {
      await updateDelivery(delivery._id, { status: "dead", lastError: "the audit entry of this SET no longer exists" });
      return false;
    }
    const headers: Record<string, string> = { "Content-Type": SET_MEDIA_TYPE, Accept: "application/json" };
    if (subscription.secret) headers.Authorization = `Bearer ${subscription.secret}`;
    const response = await fetch(subscription.url!, { method: "POST", headers, body: set, signal: AbortSignal.timeout(settings.timeoutMs), redirect: "manual" });
    const text = await response.text().catch(() => "");
    if (response.status === 202) {
      await updateDelivery(delivery._id, { status: "delivered", deliveredAt: getRuntime().now(), lastError: null }, { attempts: 1 });
      return true;
    }
    error = `HTTP ${response.status}${pushErrorCode(text)}`;
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  }
  const attempts = delivery.attempts + 1;
  const next = afterFailedPush(attempts, settings.maxAttempts, settings.retryMs);
  await updateDelivery(
    delivery._id,
    next.dead ? { status: "dead", lastError: error } : { status: "failed", lastError: error, nextAttemptAt: new Date(getRuntime().now().getTime() + next.delayMs) },
    { attempts: 1 },
  );
  return false;
}

/**
 * The RFC 8935 §2.4 error code of a refused push (`{"err": "invalid_key", …}`), if the receiver
 * gave one. Nothing else of the answer is kept: whoever may read deliveries must not be able to
 * read an arbitrary service's response through a subscription URL pointed at it.
 */
function pushErrorCode(text: string): string {
  try {
    const err = (JSON.parse(text) as { err?: unknown }).err;
    return typeof err === "string" && /^[a-z_]{1,40}$/.test(err) ? ` (${err})` : "";
  } catch {
    return "";
  }
}
