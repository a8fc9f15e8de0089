import { useState } from "preact/hooks";
import { allows, api, isMissingEndpoint, tenantPath, type Me } from "./api";
import { formatTime } from "./format";
import { Dialog, ErrorMessage, ScreenTitle, SecretOnce, Value, useId, useLoad } from "./ui";

type Subscription = Record<string, any> & { id: string; url: string | null };

function subscriptionsOf(body: any): Subscription[] {
  if (Array.isArray(body)) return body;
  return body?.subscriptions ?? body?.eventSubscriptions ?? body?.items ?? [];
}

function deliveriesOf(body: any): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return body;
  return body?.deliveries ?? body?.items ?? body?.entries ?? body?.deadLetters ?? [];
}

const MISSING = "This Roster does not offer event subscriptions yet (the endpoint answered 404).";

interface Delivery {
  jti: string;
  events?: string[];
  status: string;
  attempts?: number;
  nextAttemptAt?: string | null;
  lastError?: string | null;
  createdAt?: string;
  deliveredAt?: string | null;
}

function Deliveries({ tenant, subscription, canRetry, onClose }: { tenant: string; subscription: Subscription; canRetry: boolean; onClose: () => void }) {
  const base = tenantPath(tenant, `/event-subscriptions/${encodeURIComponent(subscription.id)}`);
  const deliveries = useLoad(() => api("GET", `${base}/deliveries`), [base]);
  const [error, setError] = useState<unknown>();
  const rows = deliveriesOf(deliveries.data) as unknown as Delivery[];
  async function retry(delivery: Delivery) {
    setError(undefined);
    try {
      await api("POST", `${base}/deliveries/${encodeURIComponent(delivery.jti)}/retry`);
      deliveries.reload();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <Dialog title={`Deliveries to ${subscription.url ?? "the poll receiver"}`} onClose={onClose} wide>
      <ErrorMessage error={deliveries.error ?? error} missing="This Roster does not report deliveries for a subscription yet." />
      {deliveries.data !== undefined && rows.length === 0 && <p class="muted">No deliveries recorded.</p>}
      {rows.length > 0 && (
        <table>
          <thead><tr><th scope="col">SET (jti)</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th>{canRetry && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td><code>{row.jti}</code></td>
                <td>{(row.events ?? []).map((uri) => <div><code title={uri}>{uri.replace(/^urn:.*?:event:/, "")}</code></div>)}</td>
                <td>{row.status}{row.deliveredAt ? ` ${formatTime(row.deliveredAt)}` : ""}</td>
                <td>{row.attempts ?? "—"}</td>
                <td>{formatTime(row.nextAttemptAt)}</td>
                <td><Value value={row.lastError} /></td>
                {canRetry && <td>{(row.status === "failed" || row.status === "dead") && <button type="button" class="secondary small" onClick={() => retry(row)}>Retry</button>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions"><button type="button" data-autofocus onClick={onClose}>Close</button></div>
    </Dialog>
  );
}

export function EventsScreen({ tenant, me }: { tenant: string; me: Me }) {
  const ids = { url: useId("url"), events: useId("events"), secret: useId("secret"), delivery: useId("delivery") };
  const list = useLoad(() => api("GET", tenantPath(tenant, "/event-subscriptions")), [tenant]);
  const [draft, setDraft] = useState({ delivery: "push", url: "", events: "", secret: "" });
  const [pollToken, setPollToken] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<Subscription>();
  const canChange = allows(me, "owner");
  const subscriptions = subscriptionsOf(list.data);

  async function create(event: Event) {
    event.preventDefault();
    setError(undefined);
    const events = draft.events.split(/[\s,]+/).filter(Boolean);
    try {
      const push = draft.delivery === "push";
      const created = await api("POST", tenantPath(tenant, "/event-subscriptions"), {
        delivery: draft.delivery,
        ...(push ? { url: draft.url.trim() } : {}),
        ...(push && draft.secret ? { secret: draft.secret } : {}),
        ...(events.length ? { events } : {}),
      });
      if (created?.pollToken) setPollToken(created.pollToken);
      setDraft({ delivery: draft.delivery, url: "", events: "", secret: "" });
      list.reload();
    } catch (caught) {
      setError(caught);
    }
  }
  async function remove(subscription: Subscription) {
    setError(undefined);
    try {
      await api("DELETE", tenantPath(tenant, `/event-subscriptions/${encodeURIComponent(subscription.id)}`));
      list.reload();
    } catch (caught) {
      setError(caught);
    }
  }
  const state = (subscription: Subscription) => {
    const counts = subscription.deliveries as Record<string, number> | undefined;
    if (!counts || typeof counts !== "object") return "—";
    return `${counts.pending ?? 0} pending, ${counts.failed ?? 0} failed, ${counts.dead ?? 0} dead`;
  };
  return (
    <>
      <ScreenTitle>Event subscriptions</ScreenTitle>
      <p class="hint">Receivers of this tenant's lifecycle events (signed Security Event Tokens, pushed per RFC 8935 or polled per RFC 8936).</p>
      <ErrorMessage error={list.error} missing={MISSING} />
      {list.data !== undefined && subscriptions.length === 0 && <p class="muted">No subscriptions.</p>}
      {subscriptions.length > 0 && (
        <table>
          <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Delivery state</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {subscriptions.map((subscription) => (
              <tr>
                <td>{subscription.url ? <code>{subscription.url}</code> : <>poll at <code>{subscription.pollPath}</code></>}</td>
                <td>{Array.isArray(subscription.events) && subscription.events.length ? subscription.events.join(", ") : "all"}</td>
                <td>{state(subscription)}</td>
                <td>{formatTime(subscription.createdAt)}</td>
                <td class="nowrap">
                  <button type="button" class="secondary small" onClick={() => setOpen(subscription)}>Deliveries</button>
                  {canChange && <button type="button" class="danger small" aria-label={`Delete the subscription of ${subscription.url ?? subscription.pollPath}`} onClick={() => remove(subscription)}>Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pollToken && <SecretOnce label="The poll receiver's token" value={pollToken} onDone={() => setPollToken(undefined)} />}
      {canChange && !isMissingEndpoint(list.error) && (
        <form class="stack" onSubmit={create}>
          <h2>Add a receiver</h2>
          <div class="field">
            <label for={ids.delivery}>Delivery</label>
            <select id={ids.delivery} value={draft.delivery} onChange={(event) => setDraft({ ...draft, delivery: event.currentTarget.value })}>
              <option value="push">Push to a receiver URL (RFC 8935)</option>
              <option value="poll">Receiver polls Roster (RFC 8936)</option>
            </select>
          </div>
          {draft.delivery === "push" && <div class="field"><label for={ids.url}>Receiver URL</label><input id={ids.url} type="url" required value={draft.url} onInput={(event) => setDraft({ ...draft, url: event.currentTarget.value })} placeholder="https://receiver.example.com/events" /></div>}
          <div class="field"><label for={ids.events}>Event URIs (space or comma separated; empty for all)</label><input id={ids.events} value={draft.events} onInput={(event) => setDraft({ ...draft, events: event.currentTarget.value })} /></div>
          {draft.delivery === "push" && <div class="field"><label for={ids.secret}>Secret sent to the receiver as its bearer token (optional)</label><input id={ids.secret} type="password" autocomplete="off" value={draft.secret} onInput={(event) => setDraft({ ...draft, secret: event.currentTarget.value })} /></div>}
          <ErrorMessage error={error} />
          <button type="submit">Add subscription</button>
        </form>
      )}
      {open && <Deliveries tenant={tenant} subscription={open} canRetry={canChange} onClose={() => setOpen(undefined)} />}
    </>
  );
}
