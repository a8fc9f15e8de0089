import { useRef, useState } from "preact/hooks";
import { ApiError, api, tenantPath } from "./api";
import { activePersonId } from "./people";
import { PersonPicker } from "./person-picker";
import { Dialog, ErrorMessage, useId, useLoad } from "./ui";

export type PersonAction = "deactivate" | "reactivate" | "remove" | "erase";

type RefLike = string | { id?: string; value?: string; userName?: string; displayName?: string | null; display?: string } | null | undefined;

function refLabel(ref: RefLike): string {
  if (!ref) return "nobody";
  if (typeof ref === "string") return ref;
  return ref.displayName || ref.userName || ref.display || ref.id || ref.value || "someone";
}

interface PlanRow {
  id: string;
  label: string;
  /** the new lead's id (or null: the link is cleared) */
  proposed: RefLike;
  /** the lead was named by the administrator's choices, not the policy */
  chosen: boolean;
}

/** Rows of reports or groups led, whichever field names the plan uses for the proposed new lead. */
function planRows(list: unknown): PlanRow[] {
  const items = Array.isArray(list) ? list : Array.isArray((list as { items?: unknown[] })?.items) ? (list as { items: unknown[] }).items : [];
  return items.map((raw) => {
    const item = raw as Record<string, any>;
    const id = String(item.id ?? item.value ?? item.reportId ?? item.groupId ?? "");
    return { id, label: item.displayName ?? item.userName ?? item.display ?? id, proposed: item.newManager ?? item.newLeader ?? item.newLead ?? item.to ?? null, chosen: Boolean(item.chosen) };
  }).filter((row) => row.id);
}

interface Refusal {
  text: string;
  detail?: string;
  paths: string[];
}

/** The plan's refusal reasons (src/domain/types.ts Refusal.reason) in words an administrator acts on. */
const PLAIN: Record<string, string> = {
  ownerGuard: "This person is the tenant's account owner. Make someone else the owner first.",
  leaderBlocked: "The tenant's policy holds back a leader until each of their reports and groups has a new lead. Choose one below — one for all, or per row — then check again or apply.",
  leaderInBulk: "A team leader is offboarded one at a time, never inside a bulk request.",
  incompleteProfile: "Their profile is missing information the policy requires before offboarding.",
  noSeat: "No seat is left in this tenant.",
  ownerInactive: "The owner must be an active person.",
};

function refusalsOf(plan: Record<string, any>): Refusal[] {
  const raw = plan.refusals ?? (plan.refusal ? [plan.refusal] : []);
  return (Array.isArray(raw) ? raw : [raw]).map((item: any) => {
    if (typeof item === "string") return { text: item, paths: [] };
    const code = String(item.reason ?? item.code ?? "");
    const paths: unknown = item.missing ?? item.paths;
    const detail = typeof item.detail === "string" ? item.detail : undefined;
    return { text: PLAIN[code] ?? detail ?? code, detail: PLAIN[code] ? detail : undefined, paths: Array.isArray(paths) ? paths.map(String) : [] };
  });
}

function countOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return countOf(object.revoked ?? object.count ?? object.items);
  }
  return undefined;
}

function SeatEffect({ seats }: { seats: any }) {
  if (!seats) return null;
  const count = (item: any) => (item ? `${item.used}${item.limit === null || item.limit === undefined ? "" : ` of ${item.limit}`} used` : "");
  return (
    <section aria-label="Seat effect">
      <h3>Seats</h3>
      <p>{seats.reason ?? (seats.freed ? "A seat will be freed." : "No seat will be freed.")}</p>
      <ul>
        {seats.tenant && <li>This tenant: {count(seats.tenant)}{seats.tenant.freed ? " — one freed" : ""}</li>}
        {seats.organization && <li>Organization {seats.organization.id}: {count(seats.organization)}{seats.organization.freed ? " — one freed" : ""}{seats.organization.otherTenants?.length ? ` (also in ${seats.organization.otherTenants.join(", ")})` : ""}</li>}
      </ul>
    </section>
  );
}

const VERB: Record<PersonAction, string> = { deactivate: "Deactivate", reactivate: "Reactivate", remove: "Remove", erase: "Erase" };
const DONE: Record<PersonAction, string> = { deactivate: "deactivated", reactivate: "reactivated", remove: "removed", erase: "erased" };

/** userName of each id, one list request (the plan names new leads by id). */
async function userNames(tenant: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].slice(0, 50);
  if (!unique.length) return new Map();
  const params = new URLSearchParams({ count: String(unique.length), attributes: "userName", filter: unique.map((id) => `id eq ${JSON.stringify(id)}`).join(" or ") });
  try {
    const page = await api<{ Resources: Array<{ id: string; userName: string }> }>("GET", tenantPath(tenant, `/users?${params}`));
    return new Map(page.Resources.map((user) => [user.id, user.userName]));
  } catch {
    return new Map();
  }
}

/** The offboarding plan of a deactivation or removal, the choices the administrator makes on it, and applying it. */
function PlanForm({ tenant, userId, name, action, onDone, onClose }: { tenant: string; userId: string; name: string; action: "deactivate" | "remove"; onDone: (message: string) => void; onClose: () => void }) {
  const planPath = tenantPath(tenant, `/users/${encodeURIComponent(userId)}/offboarding-plan?action=${action}`);
  const plan = useLoad(async () => {
    const data = await api<Record<string, any>>("GET", planPath);
    const leads = [...planRows(data.reports), ...planRows(data.groups)].map((row) => row.proposed).filter((id): id is string => typeof id === "string");
    return { data, names: await userNames(tenant, leads) };
  }, [planPath]);
  const [checked, setChecked] = useState<Record<string, any>>();
  // user names the administrator typed, by the id they resolved to: the checked plan names leads by id
  const typed = useRef(new Map<string, string>());
  const [successor, setSuccessor] = useState("");
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [revokeApiKeys, setRevokeApiKeys] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const revokeId = useId("revoke");
  const reasonId = useId("reason");

  if (plan.error) {
    return (
      <>
        <ErrorMessage error={plan.error} missing="This Roster cannot show an offboarding plan yet (the plan endpoint answered 404), so the console cannot apply this action. Update Roster, or offboard through your identity provider." />
        <div class="actions"><button type="button" onClick={onClose}>Close</button></div>
      </>
    );
  }
  if (!plan.data) return <p role="status">Working out what would happen…</p>;

  const data = checked ?? plan.data.data;
  const names = new Map([...plan.data.names, ...typed.current]);
  const reports = planRows(data.reports);
  const groups = planRows(data.groups);
  const refusals = refusalsOf(data);
  const sessions = countOf(data.sessions);
  const apiKeys = data.apiKeys as { revoked?: unknown[]; kept?: unknown[] } | undefined;
  const memberships = data.memberships as { kept?: unknown[]; dropped?: unknown[] } | undefined;
  const leadName = (ref: RefLike) => (typeof ref === "string" ? names.get(ref) ?? (data.successor?.id === ref ? data.successor.userName : null) ?? ref : ref === null ? "nobody (the link is cleared)" : refLabel(ref));

  async function choicesBody(): Promise<Record<string, unknown>> {
    const ids = new Map<string, string>();
    const resolve = async (userName: string) => {
      const key = userName.trim();
      if (!ids.has(key)) {
        const id = await activePersonId(tenant, key);
        if (!id) throw new ApiError(400, `No active person has the user name “${key}”.`, []);
        ids.set(key, id);
        typed.current.set(id, key);
      }
      return ids.get(key)!;
    };
    const body: Record<string, unknown> = { revokeApiKeys };
    if (successor.trim()) body.successor = await resolve(successor);
    const reassign: { reports?: Record<string, string>; groups?: Record<string, string> } = {};
    for (const row of reports) if (choices[`r:${row.id}`]?.trim()) (reassign.reports ??= {})[row.id] = await resolve(choices[`r:${row.id}`]);
    for (const row of groups) if (choices[`g:${row.id}`]?.trim()) (reassign.groups ??= {})[row.id] = await resolve(choices[`g:${row.id}`]);
    if (reassign.reports || reassign.groups) body.reassign = reassign;
    if (reason.trim()) body.reason = reason.trim();
    return body;
  }

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const check = () => run(async () => setChecked(await api("POST", planPath, await choicesBody())));
  const apply = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      await api("POST", tenantPath(tenant, `/users/${encodeURIComponent(userId)}/${action}`), await choicesBody());
      onDone(`${name} was ${DONE[action]}.`);
    });
  };

  const rowTable = (title: string, rows: PlanRow[], prefix: string, what: string) =>
    rows.length > 0 && (
      <section aria-label={title}>
        <h3>{title}</h3>
        <table>
          <thead><tr><th scope="col">{what}</th><th scope="col">New lead {checked ? "with your choices" : "by the policy"}</th><th scope="col">Choose another</th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>{row.label}</td>
                <td>{leadName(row.proposed)}{row.chosen && <span class="muted"> (your choice)</span>}</td>
                <td><PersonPicker tenant={tenant} label={`New lead for ${row.label}`} value={choices[`${prefix}:${row.id}`] ?? ""} onChange={(value) => setChoices({ ...choices, [`${prefix}:${row.id}`]: value })} placeholder={successor || "keep"} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );

  return (
    <form onSubmit={apply}>
      {data.unchanged && <p class="notice" role="status">Nothing to do: {name} is already deactivated.</p>}
      {refusals.length > 0 && (
        <section class="refusals" aria-label="Refusals">
          <h3>Roster would refuse this as it stands</h3>
          <ul>{refusals.map((refusal) => <li>{refusal.text}{refusal.paths.length > 0 && <> Missing: {refusal.paths.map((path) => <code>{path} </code>)}</>}{refusal.detail && <span class="muted"> ({refusal.detail})</span>}</li>)}</ul>
        </section>
      )}
      {data.allowed === true && !data.unchanged && <p class="success" role="status">Roster would apply this now{checked ? ", with your choices" : ""}.</p>}
      <section aria-label="What will happen">
        <h3>What will happen</h3>
        <ul>
          <li>{action === "deactivate" ? `${name} loses access at once; their account is kept and can be reactivated.` : `${name} is removed from the tenant; their audit history is kept.`}</li>
          {data.successor !== undefined && <li>Successor for whatever is not chosen below: <strong>{data.successor ? leadName(data.successor.id) : "nobody (links are cleared)"}</strong>{data.successor?.source && <span class="muted"> ({data.successor.source === "chosen" ? "your choice" : `the policy: their ${data.successor.source}`})</span>}</li>}
          {sessions !== undefined && <li>Sessions revoked: {sessions}</li>}
          {apiKeys && <li>API keys revoked: {apiKeys.revoked?.length ?? 0}, kept: {apiKeys.kept?.length ?? 0}</li>}
          {memberships && <li>Group memberships kept: {memberships.kept?.length ?? 0}, dropped: {memberships.dropped?.length ?? 0}</li>}
        </ul>
      </section>
      {(reports.length > 0 || groups.length > 0) && (
        <div class="field">
          <span class="label-like">One new lead for everyone below</span>
          <PersonPicker tenant={tenant} label="One new lead for all reports and groups" value={successor} onChange={setSuccessor} placeholder="keep the policy's choice" />
        </div>
      )}
      {rowTable("Reports", reports, "r", "Report")}
      {rowTable("Groups they lead", groups, "g", "Group")}
      <SeatEffect seats={data.seats} />
      <div class="check">
        <input id={revokeId} type="checkbox" checked={revokeApiKeys} onChange={(event) => setRevokeApiKeys(event.currentTarget.checked)} />
        <label for={revokeId}>Also revoke their API keys</label>
      </div>
      <div class="field">
        <label for={reasonId}>Reason (kept in the audit log)</label>
        <textarea id={reasonId} rows={2} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </div>
      <ErrorMessage error={error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>{busy ? "Working…" : `${VERB[action]} ${name}`}</button>
        <button type="button" class="secondary" disabled={busy} onClick={check}>Check my choices</button>
        <button type="button" class="secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

function ConfirmForm({ tenant, userId, name, action, onDone, onClose }: { tenant: string; userId: string; name: string; action: "reactivate" | "erase"; onDone: (message: string) => void; onClose: () => void }) {
  const [sure, setSure] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const sureId = useId("sure");
  const reasonId = useId("reason");
  async function apply(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api("POST", tenantPath(tenant, `/users/${encodeURIComponent(userId)}/${action}`), action === "reactivate" && reason.trim() ? { reason: reason.trim() } : {});
      // an erased person's name is not repeated back
      onDone(action === "erase" ? "Erased: their personal data is gone, here and in the audit log." : `${name} was ${DONE[action]}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={apply}>
      {action === "erase" ? (
        <>
          <p>Erasing replaces {name}'s personal data with “(deleted user)” and redacts it in every audit entry about them. Their audit history stays, without the personal values.</p>
          <div class="check">
            <input id={sureId} type="checkbox" checked={sure} required onChange={(event) => setSure(event.currentTarget.checked)} />
            <label for={sureId}>I understand this cannot be undone</label>
          </div>
        </>
      ) : (
        <>
          <p>{name} gets access again. Sessions and API keys revoked at deactivation stay revoked; reports and groups reassigned stay with their new leads.</p>
          <div class="field">
            <label for={reasonId}>Reason (kept in the audit log)</label>
            <textarea id={reasonId} rows={2} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </div>
        </>
      )}
      <ErrorMessage error={error} missing="This Roster has no reactivation endpoint yet (404); reactivate through your identity provider (SCIM PATCH active: true)." />
      <div class="actions">
        <button type="submit" class={action === "erase" ? "danger" : undefined} disabled={busy || (action === "erase" && !sure)}>{busy ? "Applying…" : action === "erase" ? `Erase ${name} permanently` : `Reactivate ${name}`}</button>
        <button type="button" class="secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

export function ActionDialog(props: { tenant: string; userId: string; name: string; action: PersonAction; onDone: (message: string) => void; onClose: () => void }) {
  const title = `${VERB[props.action]} ${props.name}`;
  return (
    <Dialog title={title} onClose={props.onClose} wide={props.action === "deactivate" || props.action === "remove"}>
      {props.action === "deactivate" || props.action === "remove" ? <PlanForm {...props} action={props.action} /> : <ConfirmForm {...props} action={props.action} />}
    </Dialog>
  );
}

