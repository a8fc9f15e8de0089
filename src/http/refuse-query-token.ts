import type { NextFunction, Request, Response } from "express";
import { RosterError } from "../domain/roster-error";

/**
 * Refuses a bearer token in the query string (`?access_token=`, RFC 6750 §2.3) on every endpoint:
 * URLs end up in proxy and access logs, so Roster accepts tokens in the Authorization header only
 * (SPEC §7). `400 invalid_request` (RFC 6750 §3.1), whether or not the token is valid.
 */
export function refuseQueryToken(req: Request, res: Response, next: NextFunction): void {
  if (!hasQueryToken(req.originalUrl)) return next();
  res.setHeader("WWW-Authenticate", 'Bearer realm="roster", error="invalid_request", error_description="send the token in the Authorization header"');
  next(RosterError.tokenInQuery());
}

/** Looks at the raw query, so `access_token[x]=` or a percent-encoded name is caught too. */
function hasQueryToken(url: string): boolean {
  const query = url.indexOf("?");
  if (query < 0) return false;
  return url
    .slice(query + 1)
    .split("&")
    .some((pair) => {
      const name = pair.split("=")[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // a malformed escape: judge the raw name
      }
      return /^access_token(?:\[|$)/i.test(decoded.trim());
    });
}
