import type { Refusal } from "./types";

/**
 * The registry of every error a client can get from Roster (STYLE: one registry, as
 * fastify's `lib/errors.js`): kind → HTTP status, RFC 7644 §3.12 `scimType`, and the
 * one line the README's error table repeats (a test keeps both in step).
 *
 * It lives in `domain/`, the lowest layer, on purpose: the domain rules refuse with
 * these statuses (a {@link Refusal} carries one), and every layer above builds its
 * errors from here. It is protocol data (numbers and words), not HTTP code: nothing
 * here imports anything, express or scimmy included.
 *
 * Not in the registry, because a client never sees them:
 * - `ConcurrentWrite` (services/user-service.ts) and `RetryableWrite`
 *   (scim/declare-resources.ts) are control-flow signals: "this write raced another
 *   one, read again and retry"; the SCIM router retries, and only after the last
 *   attempt does the client see it, as a 409 of kind `conflict`.
 * - `FilterError` (scim/filter) is the filter parser's own signal; its callers turn it
 *   into {@link RosterError.invalidFilter}.
 * - `DatabaseUnavailable` (store/database) means "this backend of the database chain
 *   does not apply on this machine" (SPEC §8) while starting, not an outage; an outage
 *   while serving is {@link RosterError.serviceUnavailable}.
 */
export const ERROR_KINDS = {
  invalidSyntax: { status: 400, scimType: "invalidSyntax", description: "the body is not valid JSON, not a SCIM message, or names an unknown attribute" },
  invalidValue: { status: 400, scimType: "invalidValue", description: "a value is missing, of the wrong type, or refused by a rule (incomplete profile, owner guard)" },
  invalidFilter: { status: 400, scimType: "invalidFilter", description: "the filter or sortBy does not parse or names an unknown attribute" },
  invalidPath: { status: 400, scimType: "invalidPath", description: "a PATCH path is not one Roster supports" },
  noTarget: { status: 400, scimType: "noTarget", description: "a PATCH remove has no path" },
  mutability: { status: 400, scimType: "mutability", description: "a request changes an attribute that cannot change" },
  invalidCursor: { status: 400, scimType: "invalidCursor", description: "the cursor is not one this endpoint returned, or not for this sort (RFC 9865)" },
  tokenInQuery: { status: 400, description: "a bearer token was sent in the query string (access_token); send it in the Authorization header" },
  unauthorized: { status: 401, description: "no valid bearer token" },
  forbidden: { status: 403, description: "a rule forbids the request (no seat is left)" },
  notPermitted: { status: 403, description: "the administrator's role does not allow the action; the detail names the role needed" },
  notFound: { status: 404, description: "no such resource or endpoint in this tenant" },
  methodNotAllowed: { status: 405, description: "the endpoint is read-only (discovery endpoints answer GET only)" },
  conflict: { status: 409, description: "a rule refuses the change now (a leader to hand over), or a write kept racing others" },
  uniqueness: { status: 409, scimType: "uniqueness", description: "userName or displayName is already in use" },
  preconditionFailed: { status: 412, description: "If-Match names a version that is not the current one" },
  payloadTooLarge: { status: 413, description: "the body exceeds maxPayloadSize" },
  tooManyOperations: { status: 413, description: "a /Bulk request has more operations than maxOperations" },
  overInputLimit: { status: 413, description: "a request carries more PATCH operations or group members than Roster's input limits" },
  tooManyRequests: { status: 429, description: "the rate limit is reached; Retry-After says when to retry" },
  internal: { status: 500, description: "a bug; details go to the log only" },
  notImplemented: { status: 501, description: "POST /.search is not supported; use GET with a filter" },
  serviceUnavailable: { status: 503, description: "the database cannot be reached; Retry-After says when to retry" },
} as const satisfies Record<string, ErrorKindSpec>;

/** What one registry entry says. */
export interface ErrorKindSpec {
  status: number;
  scimType?: string;
  description: string;
}

/** The name of an error kind. */
export type ErrorKind = keyof typeof ERROR_KINDS;

/** RFC 7644 §3.12 scimType values Roster uses: those of the registry. */
export type ScimType = NonNullable<{ [K in ErrorKind]: (typeof ERROR_KINDS)[K] extends { scimType: infer T } ? T : never }[ErrorKind]>;

/** The 400 kinds, each named after its scimType. */
export type BadRequestKind = { [K in ErrorKind]: (typeof ERROR_KINDS)[K] extends { status: 400 } ? K : never }[ErrorKind];

/** Seconds a client is asked to wait (Retry-After) before retrying after a database outage. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The one protocol error type (STYLE): every expected failure is a RosterError of a
 * registry kind, with a detail safe to show. Anything else reaching the HTTP layer is
 * a bug and becomes a generic 500. Build one with the factory of its kind.
 */
export class RosterError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;

  private constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "RosterError";
    const spec: ErrorKindSpec = ERROR_KINDS[kind];
    this.status = spec.status;
    this.scimType = spec.scimType as ScimType | undefined;
  }

  /** Seconds for a Retry-After header, for the kinds that ask the client to come back. */
  get retryAfter(): number | undefined {
    return typeof this.extra.retryAfter === "number" ? this.extra.retryAfter : undefined;
  }

  /** An error of a kind chosen at run time, for translators of another library's errors (scimmy's). */
  static ofKind(kind: ErrorKind, detail: string): RosterError {
    return new RosterError(kind, detail);
  }
  /** A 400 of the kind named after `scimType` (RFC 7644 §3.12). */
  static badRequest(scimType: BadRequestKind, detail: string): RosterError {
    return new RosterError(scimType, detail);
  }
  static invalidValue(detail: string, extra: Record<string, unknown> = {}): RosterError {
    return new RosterError("invalidValue", detail, extra);
  }
  static invalidSyntax(detail: string): RosterError {
    return new RosterError("invalidSyntax", detail);
  }
  static invalidFilter(detail: string): RosterError {
    return new RosterError("invalidFilter", detail);
  }
  static invalidCursor(detail: string, extra: Record<string, unknown> = {}): RosterError {
    return new RosterError("invalidCursor", detail, extra);
  }
  static unauthorized(detail = "Authorization failure: a valid bearer token is required"): RosterError {
    return new RosterError("unauthorized", detail);
  }
  static forbidden(detail: string): RosterError {
    return new RosterError("forbidden", detail);
  }
  /** An administrator whose role (or scope short of ["*"]) does not allow the action (issue #13). */
  static notPermitted(detail: string): RosterError {
    return new RosterError("notPermitted", detail);
  }
  static notFound(detail: string): RosterError {
    return new RosterError("notFound", detail);
  }
  /** RFC 7644 §4: discovery endpoints are read-only; the caller sets `Allow`. */
  static methodNotAllowed(method: string, path: string): RosterError {
    return new RosterError("methodNotAllowed", `${method} is not supported on ${path}; use GET`);
  }
  static conflict(detail: string, extra: Record<string, unknown> = {}): RosterError {
    return new RosterError("conflict", detail, extra);
  }
  static uniqueness(detail: string): RosterError {
    return new RosterError("uniqueness", detail);
  }
  static preconditionFailed(detail = "Resource version does not match If-Match"): RosterError {
    return new RosterError("preconditionFailed", detail);
  }
  static payloadTooLarge(limit: number): RosterError {
    return new RosterError("payloadTooLarge", `Request body exceeds the maximum payload size of ${limit} bytes`);
  }
  /** RFC 7644 §3.7.4: more operations than ServiceProviderConfig `bulk.maxOperations`. */
  static tooManyOperations(maxOperations: number): RosterError {
    return new RosterError("tooManyOperations", `BulkRequest exceeds maxOperations (${maxOperations})`);
  }
  /** A request over one of Roster's input limits (PATCH operations, members per request). */
  static overInputLimit(detail: string): RosterError {
    return new RosterError("overInputLimit", detail);
  }
  /** RFC 6750 §2.3 tokens in URLs are refused (SPEC §7: they end up in logs). */
  static tokenInQuery(): RosterError {
    return new RosterError("tokenInQuery", "A token in the query string (access_token) is refused; send it in the Authorization header");
  }
  static tooManyRequests(retryAfterSeconds: number): RosterError {
    return new RosterError("tooManyRequests", "Too many requests; retry later", { retryAfter: retryAfterSeconds });
  }
  static internal(): RosterError {
    return new RosterError("internal", "Internal server error");
  }
  static notImplemented(detail: string): RosterError {
    return new RosterError("notImplemented", detail);
  }
  /** The database connection is lost: a 503 the client may retry, never a 500 or a 404 (SPEC §3 Errors). */
  static serviceUnavailable(retryAfterSeconds = OUTAGE_RETRY_AFTER_SECONDS): RosterError {
    return new RosterError("serviceUnavailable", "The database is unavailable; retry later", { retryAfter: retryAfterSeconds });
  }
  /** Turns a rule's refusal (plain data) into the error the client sees. */
  static fromRefusal(refusal: Refusal): RosterError {
    return new RosterError(errorKindFor(refusal.status, refusal.scimType), refusal.detail, { reason: refusal.reason });
  }
}

/** The registry kind for a status and scimType (the first listed when several share them); `internal` if none. */
export function errorKindFor(status: number, scimType: string | null | undefined): ErrorKind {
  const kinds = Object.keys(ERROR_KINDS) as ErrorKind[];
  const spec = (kind: ErrorKind): ErrorKindSpec => ERROR_KINDS[kind];
  return kinds.find((kind) => spec(kind).status === status && (spec(kind).scimType ?? undefined) === (scimType ?? undefined)) ?? "internal";
}
