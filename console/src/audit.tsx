import { useState } from "preact/hooks";
import type { AuditEntryView } from "../../src/domain/audit-entry-view";
import { api, tenantPath } from "./api";
import { formatTime } from "./format";
import { href } from "./route";
import { Changes, ErrorMessage, ScreenTitle, Value, useId, useLoad } from "./ui";

/** One entry of GET …/audit, as the server declares it. */
export type AuditEntry = AuditEntryView;

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor?: string;
}

const KNOWN_ACTIONS = [
  "user.create", "user.update", "user.deactivate", "user.deactivate.refused", "user.reactivate", "user.remove", "user.erase",
  "reports.reassign", "group.create", "group.update", "group.delete", "owner.update", "policy.update",
  "token.create", "token.revoke", "oauthClient.create", "oauthClient.delete",
  "eventSubscription.create", "eventSubscription.update", "eventSubscription.delete",
];

function hasRedacted(value: unknown): boolean {
  if (value === "[redacted]") return true;
  if (Array.isArray(value)) return value.some(hasRedacted);
  return typeof value === "object" && value !== null && Object.values(value).some(hasRedacted);
}

export function AuditTable({ entries, caption, tenant }: { entries: AuditEntry[]; caption: string; tenant: string }) {
  if (entries.length === 0) return <p class="muted">No audit entries.</p>;
  return (
    <table class="audit">
      <caption class="visually-hidden">{caption}</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
      <tbody>
        {entries.map((entry) => (
          <tr>
            <td class="nowrap">{formatTime(entry.at)}</td>
            <td>{entry.actorName ? <>{entry.actorName} <span class="muted">{entry.actor}</span></> : entry.actor}</td>
            <td><code>{entry.action}</code></td>
            <td>{/^user\./.test(entry.action) ? <a href={href(tenant, "person", entry.target)}><code>{entry.target}</code></a> : <code>{entry.target}</code>}</td>
            <td>
              {hasRedacted(entry) && <p><span class="redacted">redacted</span> personal values erased</p>}
              {entry.reason && <p>Reason: <Value value={entry.reason} /></p>}
              {entry.cause && <p class="muted">Caused by {entry.cause}</p>}
              {entry.before && Object.keys(entry.before).length > 0 && <details><summary>Before</summary><Changes values={entry.before} /></details>}
              {entry.after && Object.keys(entry.after).length > 0 && <details><summary>After</summary><Changes values={entry.after} /></details>}
              {entry.choices && <details><summary>Choices</summary><Changes values={entry.choices} /></details>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `datetime-local` gives local time without a zone; the API wants an instant. */
function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function AuditScreen({ tenant }: { tenant: string }) {
  const ids = { action: useId("action"), target: useId("target"), actor: useId("actor"), since: useId("since"), until: useId("until"), list: useId("actions") };
  const [draft, setDraft] = useState({ action: "", target: "", actor: "", since: "", until: "" });
  const [filters, setFilters] = useState(draft);
  const [cursors, setCursors] = useState<string[]>([""]);
  const page = useLoad(() => {
    const params = new URLSearchParams({ count: "50" });
    if (filters.action.trim()) params.set("action", filters.action.trim());
    if (filters.target.trim()) params.set("target", filters.target.trim());
    if (filters.actor.trim()) params.set("actor", filters.actor.trim());
    const since = toInstant(filters.since);
    const until = toInstant(filters.until);
    if (since) params.set("since", since);
    if (until) params.set("until", until);
    const cursor = cursors[cursors.length - 1];
    if (cursor) params.set("cursor", cursor);
    return api<AuditPage>("GET", tenantPath(tenant, `/audit?${params}`));
  }, [tenant, filters, cursors]);
  const field = (name: keyof typeof draft) => (event: { currentTarget: HTMLInputElement }) => setDraft({ ...draft, [name]: event.currentTarget.value });

  return (
    <>
      <ScreenTitle>Audit log</ScreenTitle>
      <form class="filters" onSubmit={(event) => { event.preventDefault(); setFilters(draft); setCursors([""]); }}>
        <div class="field">
          <label for={ids.action}>Action</label>
          <input id={ids.action} list={ids.list} value={draft.action} onInput={field("action")} placeholder="any" />
          <datalist id={ids.list}>{KNOWN_ACTIONS.map((action) => <option value={action} />)}</datalist>
        </div>
        <div class="field">
          <label for={ids.target}>Target id</label>
          <input id={ids.target} value={draft.target} onInput={field("target")} placeholder="any" />
        </div>
        <div class="field">
          <label for={ids.actor}>Actor</label>
          <input id={ids.actor} value={draft.actor} onInput={field("actor")} placeholder="e.g. admin:root" />
        </div>
        <div class="field">
          <label for={ids.since}>From</label>
          <input id={ids.since} type="datetime-local" value={draft.since} onInput={field("since")} />
        </div>
        <div class="field">
          <label for={ids.until}>Until</label>
          <input id={ids.until} type="datetime-local" value={draft.until} onInput={field("until")} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <ErrorMessage error={page.error} />
      {page.data && <AuditTable tenant={tenant} entries={page.data.entries} caption="Audit entries, newest first" />}
      <div class="pager">
        <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors([""])}>Newest</button>
        <span>Page {cursors.length}</span>
        <button type="button" class="secondary" disabled={!page.data?.nextCursor} onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>Older</button>
      </div>
    </>
  );
}
