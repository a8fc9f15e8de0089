// The admin API as the console calls it: the token stays in memory (and, if the administrator
// chose so, in this tab's sessionStorage), always sent as a header, never in a URL.
const STORAGE_KEY = "roster.adminToken";

let token: string | null = readStoredToken();
let onSignedOut: () => void = () => undefined;

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function currentToken(): string | null {
  return token;
}

export function signIn(value: string, keepInTab: boolean): void {
  token = value;
  try {
    if (keepInTab) sessionStorage.setItem(STORAGE_KEY, value);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage refused (private mode): memory only
  }
}

export function signOut(): void {
  token = null;
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
  onSignedOut();
}

export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

export interface FieldError {
  path?: string;
  message?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly detail: string, readonly errors: FieldError[]) {
    super(detail);
  }
}

/** The server has no such endpoint yet (an older Roster): the admin API's own 404, not a missing resource. */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /^No admin endpoint at /.test(error.detail);
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", credentials: "omit" });
  } catch {
    throw new ApiError(0, "Roster did not answer. Check that the server is running and try again.", []);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, typeof json?.detail === "string" ? json.detail : `The server answered ${response.status}`, Array.isArray(json?.errors) ? json.errors : []);
    if (response.status === 401 && path !== "/me") signOut();
    throw error;
  }
  return json as T;
}

/** `/tenants/{t}` with the id encoded. */
export function tenantPath(tenant: string, rest = ""): string {
  return `/tenants/${encodeURIComponent(tenant)}${rest}`;
}

/** A quoted SCIM filter string (RFC 7644 §3.4.2.2: JSON string rules). */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

export type Role = "viewer" | "manager" | "owner";

export interface Me {
  id: string;
  name: string;
  role: Role;
  tenants: string[];
}

const RANK: Record<Role, number> = { viewer: 0, manager: 1, owner: 2 };

export function allows(me: Me, needed: Role): boolean {
  return RANK[me.role] >= RANK[needed];
}

/** GET /me, or — on a Roster without named administrators — the bootstrap token's identity once /tenants accepts it. */
export async function whoAmI(): Promise<Me> {
  try {
    return await api<Me>("GET", "/me");
  } catch (error) {
    if (!isMissingEndpoint(error)) throw error;
    await api("GET", "/tenants");
    return { id: "root", name: "root", role: "owner", tenants: ["*"] };
  }
}
