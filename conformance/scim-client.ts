/**
 * A small SCIM HTTP client for the black-box conformance suites: Node 20's
 * global fetch, the headers of one identity provider, and every exchange kept
 * so a failing step can say exactly what was sent and what came back.
 */

/** One request and its answer. */
export interface Exchange<T = any> {
  method: string;
  path: string;
  requestBody?: unknown;
  status: number;
  headers: Headers;
  /** parsed JSON, or the raw text when the answer is not JSON, or undefined when empty */
  body: T;
  text: string;
}

/** The headers an identity provider puts on its requests. */
export interface ClientProfile {
  name: string;
  headers(method: string, hasBody: boolean): Record<string, string>;
}

/**
 * Okta: `User-Agent: Okta SCIM Client 1.0.0`, `Accept: application/scim+json`,
 * bodies as `application/json` (IDP-TRAFFIC, Okta: headers).
 */
export const OKTA_PROFILE: ClientProfile = {
  name: "okta",
  headers(_method, hasBody) {
    const headers: Record<string, string> = {
      "User-Agent": "Okta SCIM Client 1.0.0",
      Accept: "application/scim+json",
    };
    if (hasBody) headers["Content-Type"] = "application/json";
    return headers;
  },
};

/** Entra ID: SCIM media type both ways, with a charset parameter on bodies. */
export const ENTRA_PROFILE: ClientProfile = {
  name: "entra",
  headers(_method, hasBody) {
    const headers: Record<string, string> = { Accept: "application/scim+json" };
    if (hasBody) headers["Content-Type"] = "application/scim+json; charset=utf-8";
    return headers;
  },
};

const REQUEST_TIMEOUT_MS = 30_000;
/** Okta retries a 429 after `Retry-After` by itself; so does this client, a few times. */
const MAX_RETRIES_ON_429 = 5;
const MAX_RETRY_WAIT_S = 10;

/** Percent-encodes a filter the way Okta does (`%20`, `%22`). */
export function percentFilter(expression: string): string {
  return encodeURIComponent(expression);
}

/** Encodes a filter with `+` for spaces, as Entra does. */
export function plusFilter(expression: string): string {
  return encodeURIComponent(expression).replace(/%20/g, "+");
}

/** Quotes a value for a SCIM filter (RFC 7644 §3.4.2.2: a JSON string). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export class ScimClient {
  readonly baseUrl: string;
  readonly exchanges: Exchange[] = [];

  constructor(baseUrl: string, private readonly token: string, readonly profile: ClientProfile) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  get<T = any>(path: string, headers?: Record<string, string>): Promise<Exchange<T>> {
    return this.send<T>("GET", path, undefined, headers);
  }

  post<T = any>(path: string, body: unknown): Promise<Exchange<T>> {
    return this.send<T>("POST", path, body);
  }

  put<T = any>(path: string, body: unknown): Promise<Exchange<T>> {
    return this.send<T>("PUT", path, body);
  }

  patch<T = any>(path: string, body: unknown): Promise<Exchange<T>> {
    return this.send<T>("PATCH", path, body);
  }

  delete<T = any>(path: string): Promise<Exchange<T>> {
    return this.send<T>("DELETE", path);
  }

  /** Sends one request (path relative to the base URL), retrying a 429 after its Retry-After. */
  async send<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Exchange<T>> {
    const headers = { ...this.profile.headers(method, body !== undefined), ...extraHeaders, Authorization: `Bearer ${this.token}` };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (error) {
        // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, timeout, …)
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
        throw new Error(`${method} ${this.baseUrl}${path}: ${cause}`);
      }
      const text = await response.text();
      if (response.status === 429 && attempt < MAX_RETRIES_ON_429) {
        const wait = Math.min(Number(response.headers.get("retry-after")) || 1, MAX_RETRY_WAIT_S);
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      const exchange: Exchange<T> = { method, path, requestBody: body, status: response.status, headers: response.headers, body: parsed as T, text };
      this.exchanges.push(exchange);
      return exchange;
    }
  }
}

const EXCERPT = 600;

/** `PATCH /Users/x {"Operations":…} → 400 {"detail":…}`, shortened, for a failure message. */
export function describeExchange(exchange: Exchange): string {
  const sent = exchange.requestBody === undefined ? "" : ` ${shorten(JSON.stringify(exchange.requestBody))}`;
  const answer = exchange.text ? ` ${shorten(exchange.text)}` : "";
  return `${exchange.method} ${exchange.path}${sent} → ${exchange.status}${answer}`;
}

function shorten(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}
