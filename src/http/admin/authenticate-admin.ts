import type { NextFunction, Request, Response } from "express";
import { adminActor } from "../../domain/admin-access";
import { RosterError } from "../../domain/roster-error";
import { authenticateAdministrator } from "../../services/administrators";
import { hashToken } from "../../services/hash-token";
import type { TokenBuckets } from "../rate-limit";
import { locals } from "../request-context";

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
 * SPEC §6, issue #13: holders of `ROSTER_ADMIN_TOKEN` (administrator `root`) and of a named
 * administrator's token pass, with `locals(res).admin` set. Tokens are compared as SHA-256
 * hashes in constant time, so the time taken says nothing about them. With no admin token
 * configured the admin API is off and every request is refused. Failed attempts draw on the
 * caller's address bucket (SPEC §7): guessing is rate limited like any unauthenticated request.
 */
export function authenticateAdmin(adminToken: string | undefined, buckets: TokenBuckets) {
  const rootHash = adminToken ? Buffer.from(hashToken(adminToken), "hex") : undefined;
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    const presented = bearerToken(req);
    const found = rootHash && presented !== undefined ? authenticateAdministrator(presented, rootHash) : Promise.resolve(null);
    found.then((admin) => {
      if (admin) {
        locals(res).admin = admin;
        locals(res).actor = adminActor(admin);
        locals(res).actorName = admin.name;
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
      next(RosterError.unauthorized(rootHash ? "Authorization failure: a valid admin bearer token is required" : "The admin API is disabled: ROSTER_ADMIN_TOKEN is not set"));
    }, next);
  };
}
