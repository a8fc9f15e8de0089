import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import passport from "passport";
import { Strategy as BearerStrategy } from "passport-http-bearer";
import { RosterError } from "../domain/roster-error";
import { getRuntime } from "../services/context";
import { hashToken } from "../services/hash-token";
import { ACCESS_TOKEN_PREFIX } from "../services/oauth-clients";
import { findLiveAccessTokenByHash } from "../store/oauth-store";
import { findLiveTokenByHash, touchToken } from "../store/token-store";
import { locals } from "./request-context";

export interface ScimPrincipal {
  tenant: string;
  tokenId: string;
  /** the token's or OAuth client's label, named in the audit entries of its writes (issue #13) */
  label: string | null;
}


/**
 * The live token with this hash: an OAuth access token (RFC 6749 §4.4) acts as its client,
 * exactly as a static token acts as itself; only static tokens record their last use.
 */
async function findCredential(token: string, hash: string): Promise<{ _id: string; tenant: string; hash: string; label: string | null; isStatic: boolean } | null> {
  const access = token.startsWith(ACCESS_TOKEN_PREFIX) ? await findLiveAccessTokenByHash(hash, getRuntime().now()) : null;
  if (access) return { _id: access.clientId, tenant: access.tenant, hash: access.hash, label: access.label ?? null, isStatic: false };
  const found = await findLiveTokenByHash(hash);
  return found && { ...found, label: found.label ?? null, isStatic: true };
}

passport.use(
  "scim-bearer",
  new BearerStrategy((token, done) => {
    const hash = hashToken(token);
    // a token of a tenant being deleted is refused at once (SPEC §6 DELETE /tenants)
    findCredential(token, hash)
      .then((found) => {
        // the lookup is by hash; the constant-time compare guards against any index-side shortcut
        if (!found || !timingSafeEqual(Buffer.from(found.hash, "hex"), Buffer.from(hash, "hex"))) return done(null, false);
        if (found.isStatic) void touchToken(found._id, new Date()).catch(() => undefined);
        return done(null, { tenant: found.tenant, tokenId: found._id, label: found.label } satisfies ScimPrincipal);
      })
      .catch((error) => done(error));
  }),
);

/**
 * Authenticates a SCIM request; failures are a SCIM 401 with WWW-Authenticate (SPEC §7),
 * unless `onFailure` answers with another error (the caller's address is over its rate limit).
 */
export function authenticateScim(onFailure: (req: Request, res: Response) => Error | undefined) {
  return function authenticate(req: Request, res: Response, next: NextFunction): void {
    passport.authenticate("scim-bearer", { session: false }, (error: unknown, principal: ScimPrincipal | false) => {
      if (error) return next(error);
      if (!principal) {
        const refused = onFailure(req, res);
        if (refused) return next(refused);
        res.setHeader("WWW-Authenticate", 'Bearer realm="roster"');
        return next(RosterError.unauthorized());
      }
      locals(res).tenant = principal.tenant;
      locals(res).actor = principal.tokenId;
      if (principal.label) locals(res).actorName = principal.label;
      next();
    })(req, res, next);
  };
}
