import { useState } from "preact/hooks";
import { allows, api, tenantPath, type Me } from "./api";
import { formatTime } from "./format";
import { Dialog, ErrorMessage, ScreenTitle, SecretOnce, Value, useId, useLoad } from "./ui";

interface Credential {
  id: string;
  label: string | null;
  createdAt: string;
  lastUsedAt?: string | null;
}

interface Kind {
  title: string;
  noun: string;
  path: string;
  listKey: string;
  idOf: (item: any) => string;
  secretOf: (created: any) => string;
  secretLabel: string;
  revokeWord: string;
  revokeEffect: string;
}

const KINDS: Kind[] = [
  {
    title: "SCIM tokens", noun: "token", path: "/tokens", listKey: "tokens", idOf: (item) => item.id, secretOf: (created) => created.token,
    secretLabel: "The new SCIM token", revokeWord: "Revoke", revokeEffect: "Identity providers using it get 401 from now on.",
  },
  {
    title: "OAuth clients", noun: "client", path: "/oauth-clients", listKey: "oauthClients", idOf: (item) => item.clientId, secretOf: (created) => `client_id: ${created.clientId}  client_secret: ${created.clientSecret}`,
    secretLabel: "The new client's id and secret", revokeWord: "Delete", revokeEffect: "Its access tokens stop working at once.",
  },
];

function CredentialList({ tenant, kind, canChange }: { tenant: string; kind: Kind; canChange: boolean }) {
  const labelId = useId("label");
  const list = useLoad(() => api<Record<string, Credential[]>>("GET", tenantPath(tenant, kind.path)), [tenant]);
  const [label, setLabel] = useState("");
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [revoking, setRevoking] = useState<Credential>();
  const [message, setMessage] = useState<string>();

  async function issue(event: Event) {
    event.preventDefault();
    setError(undefined);
    setMessage(undefined);
    try {
      const created = await api("POST", tenantPath(tenant, kind.path), label.trim() ? { label: label.trim() } : {});
      setSecret(kind.secretOf(created));
      setLabel("");
      list.reload();
    } catch (caught) {
      setError(caught);
    }
  }
  async function revoke(item: Credential) {
    setError(undefined);
    try {
      await api("DELETE", tenantPath(tenant, `${kind.path}/${encodeURIComponent(kind.idOf(item))}`));
      setRevoking(undefined);
      setMessage(`${kind.revokeWord === "Revoke" ? "Revoked" : "Deleted"} ${item.label ?? kind.idOf(item)}.`);
      list.reload();
    } catch (caught) {
      setRevoking(undefined);
      setError(caught);
    }
  }
  const items = list.data?.[kind.listKey] ?? [];
  return (
    <section aria-label={kind.title}>
      <h2>{kind.title}</h2>
      {message && <p class="success" role="status">{message}</p>}
      {secret && <SecretOnce label={kind.secretLabel} value={secret} onDone={() => setSecret(undefined)} />}
      <ErrorMessage error={list.error ?? error} />
      {list.data && items.length === 0 && <p class="muted">None yet.</p>}
      {items.length > 0 && (
        <table>
          <thead><tr><th scope="col">Label</th><th scope="col">Id</th><th scope="col">Created</th>{"lastUsedAt" in items[0] && <th scope="col">Last used</th>}{canChange && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
          <tbody>
            {items.map((item) => (
              <tr>
                <td><Value value={item.label} /></td>
                <td><code>{kind.idOf(item)}</code></td>
                <td>{formatTime(item.createdAt)}</td>
                {"lastUsedAt" in items[0] && <td>{formatTime(item.lastUsedAt)}</td>}
                {canChange && <td><button type="button" class="danger small" onClick={() => setRevoking(item)} aria-label={`${kind.revokeWord} ${kind.noun} ${item.label ?? kind.idOf(item)}`}>{kind.revokeWord}</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canChange && (
        <form class="filters" onSubmit={issue}>
          <div class="field">
            <label for={labelId}>Label of a new {kind.noun}</label>
            <input id={labelId} value={label} onInput={(event) => setLabel(event.currentTarget.value)} placeholder="e.g. Okta production" />
          </div>
          <button type="submit">{kind.noun === "token" ? "Issue token" : "Create client"}</button>
        </form>
      )}
      {revoking && (
        <Dialog title={`${kind.revokeWord} ${kind.noun} ${revoking.label ?? kind.idOf(revoking)}?`} onClose={() => setRevoking(undefined)}>
          <p>{kind.revokeEffect}</p>
          <div class="actions">
            <button type="button" class="danger" data-autofocus onClick={() => revoke(revoking)}>{kind.revokeWord}</button>
            <button type="button" class="secondary" onClick={() => setRevoking(undefined)}>Cancel</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

export function AccessScreen({ tenant, me }: { tenant: string; me: Me }) {
  return (
    <>
      <ScreenTitle>Tokens and OAuth clients</ScreenTitle>
      <p class="hint">Credentials your identity provider uses to call this tenant's SCIM API. Secrets are shown once, when issued.</p>
      {KINDS.map((kind) => <CredentialList tenant={tenant} kind={kind} canChange={allows(me, "manager")} />)}
    </>
  );
}
