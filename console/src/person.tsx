import { useState } from "preact/hooks";
import { allows, api, tenantPath, type Me } from "./api";
import { emailOf, formatTime, nameOf, type ScimUser } from "./format";
import { AuditTable, type AuditPage } from "./audit";
import { ActionDialog, type PersonAction } from "./offboard-dialog";
import { href } from "./route";
import { ErrorMessage, ScreenTitle, Value, useLoad } from "./ui";

interface PersonRef {
  id: string;
  userName: string;
  displayName: string | null;
  active: boolean;
}

interface Person {
  user: ScimUser;
  manager: PersonRef | null;
  reports: PersonRef[];
  groups: Array<{ id: string; displayName: string; member: boolean; leads: boolean }>;
}

interface Credentials {
  sessions: Array<{ id: string; createdAt: string; revokedAt: string | null }>;
  apiKeys: Array<{ id: string; label: string | null; createdAt: string; revokedAt: string | null }>;
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ERASED_NAME = "(deleted user)";

function PersonLink({ tenant, person }: { tenant: string; person: PersonRef }) {
  return (
    <>
      <a href={href(tenant, "person", person.id)}>{person.displayName || person.userName}</a>
      {!person.active && <> <span class="badge deactivated">Deactivated</span></>}
    </>
  );
}

function History({ tenant, id }: { tenant: string; id: string }) {
  const [cursors, setCursors] = useState<string[]>([""]);
  const page = useLoad(() => {
    const params = new URLSearchParams({ target: id, count: "10" });
    if (cursors[cursors.length - 1]) params.set("cursor", cursors[cursors.length - 1]);
    return api<AuditPage>("GET", tenantPath(tenant, `/audit?${params}`));
  }, [tenant, id, cursors]);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ErrorMessage error={page.error} />
      {page.data && <AuditTable tenant={tenant} entries={page.data.entries} caption="Audit entries about this person, newest first" />}
      <div class="pager">
        <button type="button" class="secondary" disabled={cursors.length === 1} onClick={() => setCursors([""])}>Newest</button>
        <button type="button" class="secondary" disabled={!page.data?.nextCursor} onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>Older</button>
      </div>
    </section>
  );
}

function CredentialsSection({ tenant, id, version }: { tenant: string; id: string; version: number }) {
  const credentials = useLoad(() => api<Credentials>("GET", tenantPath(tenant, `/users/${encodeURIComponent(id)}/credentials`)), [tenant, id, version]);
  const rows = credentials.data ? [
    ...credentials.data.sessions.map((session) => ({ kind: "Session", label: "", ...session })),
    ...credentials.data.apiKeys.map((key) => ({ kind: "API key", ...key, label: key.label ?? "" })),
  ] : [];
  return (
    <section aria-labelledby="credentials-title">
      <h2 id="credentials-title">Sessions and API keys</h2>
      <ErrorMessage error={credentials.error} />
      {credentials.data && rows.length === 0 && <p class="muted">None registered.</p>}
      {rows.length > 0 && (
        <table>
          <thead><tr><th scope="col">Kind</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
          <tbody>{rows.map((row) => <tr><td>{row.kind}</td><td><Value value={row.label} /></td><td>{formatTime(row.createdAt)}</td><td>{row.revokedAt ? `Revoked ${formatTime(row.revokedAt)}` : "Live"}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

export function PersonScreen({ tenant, id, me }: { tenant: string; id: string; me: Me }) {
  const [version, setVersion] = useState(0);
  const [action, setAction] = useState<PersonAction>();
  const [message, setMessage] = useState<string>();
  const person = useLoad(() => api<Person>("GET", tenantPath(tenant, `/users/${encodeURIComponent(id)}`)), [tenant, id, version]);

  if (person.error) {
    return (
      <>
        <ScreenTitle>Person</ScreenTitle>
        {message && <p class="success" role="status">{message}</p>}
        {!message && <ErrorMessage error={person.error} />}
        <p><a href={href(tenant, "people")}>Back to people</a></p>
      </>
    );
  }
  if (!person.data) return <p role="status">Loading…</p>;
  const { user, manager, reports, groups } = person.data;
  const name = nameOf(user);
  const erased = user.displayName === ERASED_NAME;
  const enterprise = (user[ENTERPRISE] ?? {}) as Record<string, unknown>;
  const done = (text: string) => {
    setAction(undefined);
    setMessage(text);
    setVersion(version + 1);
  };

  return (
    <>
      <p class="crumbs"><a href={href(tenant, "people")}>People</a> ›</p>
      <ScreenTitle>{name} {!user.active && <span class="badge deactivated">Deactivated</span>} {erased && <span class="badge erased">Erased</span>}</ScreenTitle>
      {message && <p class="success" role="status">{message}</p>}
      <div class="actions" role="group" aria-label="Actions">
        {allows(me, "manager") && user.active && <button type="button" class="danger" onClick={() => setAction("deactivate")}>Deactivate</button>}
        {allows(me, "manager") && !user.active && <button type="button" onClick={() => setAction("reactivate")}>Reactivate</button>}
        {allows(me, "manager") && <button type="button" class="danger" onClick={() => setAction("remove")}>Remove</button>}
        {allows(me, "owner") && !user.active && !erased && <button type="button" class="danger" onClick={() => setAction("erase")}>Erase</button>}
      </div>
      <div class="columns">
        <section aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl class="profile">
            <dt>User name</dt><dd>{user.userName}</dd>
            <dt>Display name</dt><dd><Value value={user.displayName} /></dd>
            <dt>Email</dt><dd><Value value={emailOf(user)} /></dd>
            <dt>Title</dt><dd><Value value={user.title} /></dd>
            <dt>Department</dt><dd><Value value={enterprise.department} /></dd>
            <dt>Status</dt><dd>{user.active ? "Active" : "Deactivated"}</dd>
            <dt>External id</dt><dd><Value value={user.externalId} /></dd>
            <dt>Created</dt><dd>{formatTime(user.meta?.created)}</dd>
            <dt>Last changed</dt><dd>{formatTime(user.meta?.lastModified)}</dd>
            <dt>Id</dt><dd><code>{user.id}</code></dd>
          </dl>
        </section>
        <section aria-labelledby="team-title">
          <h2 id="team-title">Manager and reports</h2>
          <p>Manager: {manager ? <PersonLink tenant={tenant} person={manager} /> : <span class="muted">none</span>}</p>
          <h3>Reports ({reports.length})</h3>
          {reports.length === 0 ? <p class="muted">No reports.</p> : <ul>{reports.map((report) => <li><PersonLink tenant={tenant} person={report} /></li>)}</ul>}
          <h3>Groups ({groups.length})</h3>
          {groups.length === 0 ? <p class="muted">No groups.</p> : (
            <ul>{groups.map((group) => <li>{group.displayName}{group.leads && <> <span class="badge lead">Leads</span></>}{!group.member && <span class="muted"> (not a member)</span>}</li>)}</ul>
          )}
        </section>
      </div>
      <CredentialsSection tenant={tenant} id={id} version={version} />
      <History key={version} tenant={tenant} id={id} />
      {action && <ActionDialog tenant={tenant} userId={id} name={name} action={action} onClose={() => setAction(undefined)} onDone={done} />}
    </>
  );
}
