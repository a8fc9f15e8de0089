import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { RosterError } from "../../domain/roster-error";
import type { TokenBuckets } from "../rate-limit";
import { locals } from "../request-context";

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * The credentials of an `Authorization: Bearer <token>` header (RFC 6750 §2.1),
 * or undefined. Any characters are taken: ROSTER_ADMIN_TOKEN is compared as
 * configured, even when it strays outside RFC 6750's token68 alphabet.
 */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer +(\S(?:.*\S)?)\s*$/i.exec(req.header("authorization") ?? "");
  return match?.[1];
}

/**
 * SPEC §6: only holders of `ROSTER_ADMIN_TOKEN` pass. Both sides are hashed to
 * SHA-256 first so timingSafeEqual compares equal lengths and the time taken
 * says nothing about the token. With no admin token configured every request
 * is refused. Failed attempts draw on the caller's address bucket (SPEC §7):
 * guessing is rate limited like any unauthenticated request.
 */
export function authenticateAdmin(adminToken: string | undefined, buckets: TokenBuckets) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    const presented = bearerToken(req);
    if (expected && presented !== undefined && timingSafeEqual(digest(presented), expected)) {
      locals(res).actor = "admin";
      next();
      return;
    }
    const wait = buckets.take(`ip:${req.ip}`);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      next(RosterError.tooManyRequests(wait));
      return;
    }
    res.setHeader("WWW-Authenticate", 'Bearer realm="roster-admin"');
    next(RosterError.unauthorized(expected ? "Authorization failure: a valid admin bearer token is required" : "The admin API is disabled: ROSTER_ADMIN_TOKEN is not set"));
  };
}
