import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { allows, api, currentToken, signIn, signOut, whenSignedOut, whoAmI, type Me } from "./api";
import { AccessScreen } from "./access";
import { AuditScreen } from "./audit";
import { EventsScreen } from "./events";
import { PeopleScreen } from "./people";
import { PersonScreen } from "./person";
import { PolicyScreen } from "./policy";
import { href, useRoute, type Route, type Screen } from "./route";
import { ErrorMessage, ScreenTitle, useId, useLoad } from "./ui";

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const tokenId = useId("token");
  const keepId = useId("keep");
  const [value, setValue] = useState("");
  const [keep, setKeep] = useState(true);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    signIn(value.trim(), keep);
    try {
      onSignedIn(await whoAmI());
    } catch (caught) {
      signOut();
      setError((caught as { status?: number }).status === 401 ? new Error("Roster did not accept that token.") : caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main class="signin">
      <ScreenTitle>Roster console</ScreenTitle>
      <form onSubmit={submit}>
        <label for={tokenId}>Administrator token</label>
        <input id={tokenId} type="password" autocomplete="off" required value={value} onInput={(event) => setValue(event.currentTarget.value)} />
        <div class="check">
          <input id={keepId} type="checkbox" checked={keep} onChange={(event) => setKeep(event.currentTarget.checked)} />
          <label for={keepId}>Stay signed in in this tab (sessionStorage; closing the tab forgets it)</label>
        </div>
        <button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
        <ErrorMessage error={error} />
      </form>
      <p class="hint">Use ROSTER_ADMIN_TOKEN or a named administrator's token. It is sent only in the Authorization header.</p>
    </main>
  );
}

function TenantPicker() {
  const tenants = useLoad(() => api<{ tenants: Array<{ id: string; name?: string }> }>("GET", "/tenants"), []);
  return (
    <main id="main">
      <ScreenTitle>Choose a tenant</ScreenTitle>
      <ErrorMessage error={tenants.error} />
      {tenants.loading && !tenants.data && <p>Loading tenants…</p>}
      {tenants.data && tenants.data.tenants.length === 0 && <p>No tenants yet. Create one with <code>roster tenants create</code> or POST /admin/v1/tenants.</p>}
      <ul class="tenants">
        {tenants.data?.tenants.map((tenant) => (
          <li><a href={href(tenant.id, "people")}>{tenant.name || tenant.id}</a> {tenant.name && tenant.name !== tenant.id && <span class="muted">{tenant.id}</span>}</li>
        ))}
      </ul>
    </main>
  );
}

const NAV: Array<{ screen: Screen; label: string }> = [
  { screen: "people", label: "People" },
  { screen: "audit", label: "Audit log" },
  { screen: "access", label: "Tokens and OAuth clients" },
  { screen: "policy", label: "Policy" },
  { screen: "events", label: "Event subscriptions" },
];

function TenantScreen({ me, route }: { me: Me; route: Route }) {
  const tenant = route.tenant!;
  const current = route.screen === "person" ? "people" : route.screen;
  const key = `${tenant}/${route.screen}/${route.id ?? ""}`;
  return (
    <>
      <nav class="tabs" aria-label="Tenant">
        <span class="tenant-name">Tenant <strong>{tenant}</strong></span>
        {NAV.map((item) => (
          <a href={href(tenant, item.screen)} aria-current={current === item.screen ? "page" : undefined}>{item.label}</a>
        ))}
      </nav>
      <main id="main" key={key}>
        {route.screen === "people" && <PeopleScreen tenant={tenant} me={me} />}
        {route.screen === "person" && <PersonScreen tenant={tenant} id={route.id!} me={me} />}
        {route.screen === "audit" && <AuditScreen tenant={tenant} />}
        {route.screen === "access" && <AccessScreen tenant={tenant} me={me} />}
        {route.screen === "policy" && <PolicyScreen tenant={tenant} me={me} />}
        {route.screen === "events" && <EventsScreen tenant={tenant} me={me} />}
      </main>
    </>
  );
}

function Shell({ me }: { me: Me }) {
  const route = useRoute();
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href={href()}>Roster console</a>
        <span class="who">Signed in as <strong>{me.name}</strong> ({me.role}{allows(me, "owner") && me.tenants.includes("*") ? ", all tenants" : ""})</span>
        <button type="button" class="secondary" onClick={() => signOut()}>Sign out</button>
      </header>
      {route.tenant ? <TenantScreen me={me} route={route} /> : <TenantPicker />}
    </>
  );
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(Boolean(currentToken()));
  useEffect(() => {
    whenSignedOut(() => setMe(null));
    if (!currentToken()) return;
    whoAmI()
      .then(setMe, () => signOut())
      .finally(() => setChecking(false));
  }, []);
  if (checking) return <p class="loading">Checking your session…</p>;
  return me ? <Shell me={me} /> : <SignIn onSignedIn={setMe} />;
}

const root = document.getElementById("app")!;
// the static "Loading…" line goes; preact would render beside it
root.textContent = "";
render(<App />, root);
