/** What the CLI needs to reach the admin API (SPEC §6) of a running server. */
export interface AdminEndpoint {
  /** base URL of the server, e.g. http://localhost:8080 */
  url: string;
  token: string;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

/** The server could not be reached at all (not running, wrong --url). */
export class ServerUnreachable extends Error {}

const TIMEOUT_MS = 30_000;

/** One admin API request; JSON in, JSON (or nothing) out. */
export async function callAdmin(endpoint: AdminEndpoint, method: string, path: string, body?: unknown): Promise<AdminAnswer> {
  const url = `${endpoint.url.replace(/\/+$/, "")}/admin/v1${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${endpoint.token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ServerUnreachable(`cannot reach the Roster server at ${endpoint.url} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, body: parsed };
}
