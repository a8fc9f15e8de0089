import { timingSafeEqual } from "node:crypto";
import { RosterError } from "../domain/roster-error";
import { findOwedToPoll, findSubscription, settleDeliveries, updateDelivery } from "../store/event-store";
import { getRuntime } from "./context";
import { audienceOf, signedSet } from "./deliver-events";
import { hashToken } from "./hash-token";
import { validatePayload } from "./validate-payload";

interface PollRequest {
  ack?: string[];
  setErrs?: Record<string, { err: string; description?: string }>;
  maxEvents: number;
  returnImmediately: boolean;
}

/** The answer of a poll (RFC 8936 §2.5): SETs by jti, and whether more are owed. */
export interface PollResponse {
  sets: Record<string, string>;
  moreAvailable: boolean;
}

/**
 * One RFC 8936 poll: the SETs acknowledged are delivered, those in `setErrs` become
 * dead letters carrying the receiver's error, then up to `maxEvents` owed SETs are
 * returned. A SET returned and not acknowledged is returned again by the next poll
 * (at-least-once). Roster always answers at once (no long polling).
 */
export async function pollEvents(tenant: string, id: string, bearer: string | undefined, payload: unknown): Promise<PollResponse> {
  const subscription = await findSubscription(tenant, id);
  // an unknown subscription and a wrong token look the same to a caller
  if (!subscription || subscription.delivery !== "poll" || !subscription.pollTokenHash || !bearer || !sameHash(hashToken(bearer), subscription.pollTokenHash)) {
    throw RosterError.unauthorized("A valid poll token of this event subscription is required");
  }
  const request = validatePayload<PollRequest>("eventPoll", payload);
  const now = getRuntime().now();
  await settleDeliveries(tenant, id, request.ack ?? [], { status: "delivered", deliveredAt: now });
  for (const [jti, error] of Object.entries(request.setErrs ?? {})) {
    await settleDeliveries(tenant, id, [jti], { status: "dead", lastError: `${error.err}${error.description ? `: ${error.description}` : ""}` });
  }
  const sets: Record<string, string> = {};
  if (request.maxEvents === 0) return { sets, moreAvailable: (await findOwedToPoll(tenant, id, 1)).length > 0 };
  const owed = await findOwedToPoll(tenant, id, request.maxEvents + 1);
  for (const delivery of owed.slice(0, request.maxEvents)) {
    const set = await signedSet(delivery, audienceOf(subscription));
    if (set === null) {
      await updateDelivery(delivery._id, { status: "dead", lastError: "the audit entry of this SET no longer exists" });
      continue;
    }
    sets[delivery.jti] = set;
    // attempts counts the polls that returned it unacknowledged
    await updateDelivery(delivery._id, { nextAttemptAt: now }, { attempts: 1 });
  }
  return { sets, moreAvailable: owed.length > request.maxEvents };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
