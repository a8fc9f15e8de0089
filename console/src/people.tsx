import { useState } from "preact/hooks";
import { api, isMissingEndpoint, scimString, tenantPath, type Me } from "./api";
import { emailOf, nameOf, type ScimUser } from "./format";
import { href } from "./route";
import { ErrorMessage, ScreenTitle, useId, useLoad } from "./ui";

export type Status = "active" | "deactivated" | "all";
const PAGE_SIZE = 25;

/** The SCIM filter of a search: indexed attributes only (userName, displayName, emails), so it stays fast at 100,000 people. */
export function peopleFilter(search: string, status: Status): string {
  const parts: string[] = [];
  const text = search.trim();
  if (text) {
    const value = scimString(text);
    parts.push(`(userName sw ${value} or displayName sw ${value} or emails.value sw ${value})`);
  }
  if (status === "active") parts.push("active eq true");
  if (status === "deactivated") parts.push("active eq false");
  return parts.join(" and ");
}

interface ListResponse {
  totalResults: number;
  Resources: ScimUser[];
  nextCursor?: string;
}

export interface Seats {
  limit: number | null;
  used: number;
  tenant?: { limit: number | null; used: number };
  organization?: { id?: string; name?: string; limit: number | null; used: number } | null;
}

function seatText(count: { limit: number | null; used: number }): string {
  return count.limit === null ? `${count.used} used, no limit` : `${count.used} of ${count.limit} used`;
}

export function SeatCounter({ tenant }: { tenant: string }) {
  const seats = useLoad(() => api<Seats>("GET", tenantPath(tenant, "/seats")), [tenant]);
  if (!seats.data) return <ErrorMessage error={seats.error} missing="Seats are not available on this server." />;
  const tenantSeats = seats.data.tenant ?? seats.data;
  const organization = seats.data.organization;
  return (
    <section class="seats" aria-label="Seats">
      <span>Seats in this tenant: <strong>{seatText(tenantSeats)}</strong></span>
      {organization && <span>Organization {organization.name ?? organization.id ?? ""}: <strong>{seatText(organization)}</strong></span>}
    </section>
  );
}

export function PeopleScreen({ tenant }: { tenant: string; me: Me }) {
  const searchId = useId("search");
  const statusId = useId("status");
  const [draft, setDraft] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<Status>("all");
  // cursors[i] opens page i; the first page's cursor is empty
  const [cursors, setCursors] = useState<string[]>([""]);
  const page = cursors.length - 1;
  const list = useLoad(() => {
    const params = new URLSearchParams({ count: String(PAGE_SIZE), sortBy: "userName", cursor: cursors[page], attributes: "userName,displayName,name,emails,active" });
    const filter = peopleFilter(search, status);
    if (filter) params.set("filter", filter);
    return api<ListResponse>("GET", tenantPath(tenant, `/users?${params}`));
  }, [tenant, search, status, cursors]);

  function apply(next: { search?: string; status?: Status }) {
    if (next.search !== undefined) setSearch(next.search);
    if (next.status !== undefined) setStatus(next.status);
    setCursors([""]);
  }
  const showingDeactivated = status !== "active";

  return (
    <>
      <ScreenTitle>People</ScreenTitle>
      <SeatCounter tenant={tenant} />
      <form class="filters" role="search" onSubmit={(event) => { event.preventDefault(); apply({ search: draft }); }}>
        <div class="field">
          <label for={searchId}>Search by name, email or user name</label>
          <input id={searchId} type="search" value={draft} onInput={(event) => setDraft(event.currentTarget.value)} placeholder="Starts with…" />
        </div>
        <button type="submit">Search</button>
        <div class="field">
          <label for={statusId}>Status</label>
          <select id={statusId} value={status} onChange={(event) => apply({ status: event.currentTarget.value as Status })}>
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <button type="button" class="secondary" aria-pressed={!showingDeactivated} onClick={() => apply({ status: showingDeactivated ? "active" : "all" })}>
          {showingDeactivated ? "Hide deactivated" : "Show deactivated"}
        </button>
      </form>
      <ErrorMessage error={list.error} missing="This Roster has no people endpoint (GET /admin/v1/tenants/{t}/users); update Roster." />
      {list.data && (
        <>
          <p class="count" role="status">{list.data.totalResults === 1 ? "1 person matches" : `${list.data.totalResults} people match`}{list.loading ? " (updating…)" : ""}</p>
          <table class="people">
            <caption class="visually-hidden">People, page {page + 1}</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">User name</th><th scope="col">Email</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {list.data.Resources.map((user) => (
                <tr class={user.active ? undefined : "inactive"}>
                  <td><a href={href(tenant, "person", user.id)}>{nameOf(user)}</a></td>
                  <td>{user.userName}</td>
                  <td>{emailOf(user)}</td>
                  <td>{user.active ? <span class="badge active">Active</span> : <span class="badge deactivated">Deactivated</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            <button type="button" class="secondary" disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
            <span>Page {page + 1}</span>
            <button type="button" class="secondary" disabled={!list.data.nextCursor} onClick={() => setCursors([...cursors, list.data!.nextCursor!])}>Next page</button>
          </div>
        </>
      )}
      {!list.data && list.loading && <p>Loading people…</p>}
    </>
  );
}

/** Finds the id of an active person by exact user name (the pickers of the offboarding dialog). */
export async function activePersonId(tenant: string, userName: string): Promise<string | undefined> {
  const params = new URLSearchParams({ count: "1", filter: `userName eq ${scimString(userName)} and active eq true`, attributes: "userName" });
  const found = await api<ListResponse>("GET", tenantPath(tenant, `/users?${params}`));
  return found.Resources[0]?.id;
}

/** Up to 8 active people whose user name or display name starts with `text`. */
export async function suggestPeople(tenant: string, text: string): Promise<ScimUser[]> {
  const value = scimString(text.trim());
  const params = new URLSearchParams({ count: "8", sortBy: "userName", cursor: "", filter: `(userName sw ${value} or displayName sw ${value}) and active eq true`, attributes: "userName,displayName,active" });
  try {
    return (await api<ListResponse>("GET", tenantPath(tenant, `/users?${params}`))).Resources;
  } catch (error) {
    if (isMissingEndpoint(error)) return [];
    throw error;
  }
}
