import { useState } from "preact/hooks";
import { allows, api, isMissingEndpoint, tenantPath, type Me } from "./api";
import { formatTime } from "./format";
import { Dialog, ErrorMessage, ScreenTitle, Value, useId, useLoad } from "./ui";

type Subscription = Record<string, any> & { id: string; url: string };

function subscriptionsOf(body: any): Subscription[] {
  if (Array.isArray(body)) return body;
  return body?.subscriptions ?? body?.eventSubscriptions ?? body?.items ?? [];
}

function deliveriesOf(body: any): Array<Record<string, unknown>> {
  if (Array.isArray(body)) return body;
  return body?.deliveries ?? body?.items ?? body?.entries ?? body?.deadLetters ?? [];
}

const MISSING = "This Roster does not offer event subscriptions yet (the endpoint answered 404).";

function Deliveries({ tenant, subscription, onClose }: { tenant: string; subscription: Subscription; onClose: () => void }) {
  const base = tenantPath(tenant, `/event-subscriptions/${encodeURIComponent(subscription.id)}`);
  const deliveries = useLoad(() => api("GET", `${base}/deliveries`), [base]);
  const rows = deliveriesOf(deliveries.data);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((key) => typeof rows.find((row) => row[key] !== undefined)?.[key] !== "object").slice(0, 7);
  return (
    <Dialog title={`Deliveries to ${subscription.url}`} onClose={onClose} wide>
      <ErrorMessage error={deliveries.error} missing="This Roster does not report deliveries for a subscription yet." />
      {deliveries.data !== undefined && rows.length === 0 && <p class="muted">No deliveries recorded.</p>}
      {rows.length > 0 && (
        <table>
          <thead><tr>{columns.map((column) => <th scope="col">{column}</th>)}</tr></thead>
          <tbody>{rows.map((row) => <tr>{columns.map((column) => <td><Value value={row[column]} /></td>)}</tr>)}</tbody>
        </table>
      )}
      <div class="actions"><button type="button" data-autofocus onClick={onClose}>Close</button></div>
    </Dialog>
  );
}

export function EventsScreen({ tenant, me }: { tenant: string; me: Me }) {
  const ids = { url: useId("url"), events: useId("events"), secret: useId("secret") };
  const list = useLoad(() => api("GET", tenantPath(tenant, "/event-subscriptions")), [tenant]);
  const [draft, setDraft] = useState({ url: "", events: "", secret: "" });
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<Subscription>();
  const canChange = allows(me, "owner");
  const subscriptions = subscriptionsOf(list.data);

  async function create(event: Event) {
    event.preventDefault();
    setError(undefined);
    const events = draft.events.split(/[\s,]+/).filter(Boolean);
    try {
      await api("POST", tenantPath(tenant, "/event-subscriptions"), { url: draft.url.trim(), secret: draft.secret, ...(events.length ? { events } : {}) });
      setDraft({ url: "", events: "", secret: "" });
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
    const parts = ["status", "state", "pending", "failed", "deadLetters", "delivered"].filter((key) => subscription[key] !== undefined).map((key) => `${key}: ${typeof subscription[key] === "object" ? JSON.stringify(subscription[key]) : subscription[key]}`);
    return parts.length ? parts.join(", ") : "—";
  };
  return (
    <>
      <ScreenTitle>Event subscriptions</ScreenTitle>
      <p class="hint">Receivers of this tenant's lifecycle events (signed Security Event Tokens, RFC 8935 push).</p>
      <ErrorMessage error={list.error} missing={MISSING} />
      {list.data !== undefined && subscriptions.length === 0 && <p class="muted">No subscriptions.</p>}
      {subscriptions.length > 0 && (
        <table>
          <thead><tr><th scope="col">Receiver</th><th scope="col">Events</th><th scope="col">Delivery state</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {subscriptions.map((subscription) => (
              <tr>
                <td><code>{subscription.url}</code></td>
                <td>{Array.isArray(subscription.events) && subscription.events.length ? subscription.events.join(", ") : "all"}</td>
                <td>{state(subscription)}</td>
                <td>{formatTime(subscription.createdAt)}</td>
                <td class="nowrap">
                  <button type="button" class="secondary small" onClick={() => setOpen(subscription)}>Deliveries</button>
                  {canChange && <button type="button" class="danger small" aria-label={`Delete the subscription of ${subscription.url}`} onClick={() => remove(subscription)}>Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canChange && !isMissingEndpoint(list.error) && (
        <form class="stack" onSubmit={create}>
          <h2>Add a receiver</h2>
          <div class="field"><label for={ids.url}>Receiver URL</label><input id={ids.url} type="url" required value={draft.url} onInput={(event) => setDraft({ ...draft, url: event.currentTarget.value })} placeholder="https://receiver.example.com/events" /></div>
          <div class="field"><label for={ids.events}>Event URIs (space or comma separated; empty for all)</label><input id={ids.events} value={draft.events} onInput={(event) => setDraft({ ...draft, events: event.currentTarget.value })} /></div>
          <div class="field"><label for={ids.secret}>Shared secret</label><input id={ids.secret} type="password" autocomplete="off" value={draft.secret} onInput={(event) => setDraft({ ...draft, secret: event.currentTarget.value })} /></div>
          <ErrorMessage error={error} />
          <button type="submit">Add subscription</button>
        </form>
      )}
      {open && <Deliveries tenant={tenant} subscription={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
