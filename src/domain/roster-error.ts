import type { Refusal } from "./types";

/** RFC 7644 §3.12 scimType values Roster uses. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor";

/**
 * The one protocol error type (STYLE): every expected failure is a RosterError
 * with an HTTP status, an optional scimType and a detail safe to show. Anything
 * else reaching the HTTP layer is a bug and becomes a generic 500.
 */
export class RosterError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "RosterError";
  }

  static badRequest(scimType: ScimType, detail: string): RosterError {
    return new RosterError(400, scimType, detail);
  }
  static invalidValue(detail: string): RosterError {
    return new RosterError(400, "invalidValue", detail);
  }
  static invalidSyntax(detail: string): RosterError {
    return new RosterError(400, "invalidSyntax", detail);
  }
  static invalidFilter(detail: string): RosterError {
    return new RosterError(400, "invalidFilter", detail);
  }
  static unauthorized(detail = "Authorization failure: a valid bearer token is required"): RosterError {
    return new RosterError(401, undefined, detail);
  }
  static forbidden(detail: string): RosterError {
    return new RosterError(403, undefined, detail);
  }
  static notFound(detail: string): RosterError {
    return new RosterError(404, undefined, detail);
  }
  static conflict(detail: string, extra: Record<string, unknown> = {}): RosterError {
    return new RosterError(409, undefined, detail, extra);
  }
  static uniqueness(detail: string): RosterError {
    return new RosterError(409, "uniqueness", detail);
  }
  static preconditionFailed(detail = "Resource version does not match If-Match"): RosterError {
    return new RosterError(412, undefined, detail);
  }
  static payloadTooLarge(limit: number): RosterError {
    return new RosterError(413, undefined, `Request body exceeds the maximum payload size of ${limit} bytes`);
  }
  static tooManyRequests(retryAfterSeconds: number): RosterError {
    return new RosterError(429, undefined, "Too many requests; retry later", { retryAfter: retryAfterSeconds });
  }
  static internal(): RosterError {
    return new RosterError(500, undefined, "Internal server error");
  }
  static unavailable(detail = "The database is unavailable; retry later"): RosterError {
    return new RosterError(503, undefined, detail);
  }
  /** Turns a rule's refusal (plain data) into the error the client sees. */
  static fromRefusal(refusal: Refusal): RosterError {
    return new RosterError(refusal.status, refusal.scimType, refusal.detail, { reason: refusal.reason });
  }
}
