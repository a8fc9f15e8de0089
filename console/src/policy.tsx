import { useEffect, useState } from "preact/hooks";
import { ApiError, allows, api, tenantPath, type Me } from "./api";
import { ErrorMessage, ScreenTitle, useId, useLoad } from "./ui";

/** The tenant policy as JSON, checked by the server against the same JSON Schema as PUT /policy. */
export function PolicyScreen({ tenant, me }: { tenant: string; me: Me }) {
  const editorId = useId("policy");
  const policy = useLoad(() => api("GET", tenantPath(tenant, "/policy")), [tenant]);
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState<string>();
  const canSave = allows(me, "owner");
  useEffect(() => {
    if (policy.data) setText(JSON.stringify(policy.data, null, 2));
  }, [policy.data]);

  async function save(event: Event) {
    event.preventDefault();
    setError(undefined);
    setMessage(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (caught) {
      return setError(new ApiError(400, `This is not valid JSON: ${(caught as Error).message}`, []));
    }
    try {
      const saved = await api("PUT", tenantPath(tenant, "/policy"), parsed);
      setText(JSON.stringify(saved, null, 2));
      setMessage("Policy saved.");
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <>
      <ScreenTitle>Policy</ScreenTitle>
      <p class="hint">What deactivation and removal do in this tenant (README, “What deactivation and removal do”). The server checks it against the policy's JSON Schema and names each wrong path.</p>
      <ErrorMessage error={policy.error} />
      {policy.data !== undefined && (
        <form onSubmit={save}>
          <label for={editorId}>Policy JSON</label>
          <textarea id={editorId} class="mono editor" rows={18} spellcheck={false} readOnly={!canSave} value={text} onInput={(event) => setText(event.currentTarget.value)} />
          <ErrorMessage error={error} />
          {message && <p class="success" role="status">{message}</p>}
          {canSave ? (
            <div class="actions">
              <button type="submit">Save policy</button>
              <button type="button" class="secondary" onClick={() => { setText(JSON.stringify(policy.data, null, 2)); setError(undefined); }}>Discard changes</button>
            </div>
          ) : <p class="muted">Only an owner may change the policy.</p>}
        </form>
      )}
    </>
  );
}
