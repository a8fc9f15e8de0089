import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { authenticateOAuthClient, issueAccessToken } from "../services/oauth-clients";
import { handleAsync } from "./handle-async";
import type { TokenBuckets } from "./rate-limit";
import { locals } from "./request-context";

/** RFC 6749 §5.2 error codes /oauth/token answers with. */
type OAuthErrorCode = "invalid_request" | "invalid_client" | "unsupported_grant_type";

/**
 * An RFC 6749 §5.2 error: the token endpoint's own wire format (`{error, error_description}`),
 * not a SCIM or admin error, so it is not in the RosterError registry.
 */
class OAuthError extends Error {
  constructor(readonly code: OAuthErrorCode, message: string) {
    super(message);
  }
}

const PARAMETERS = ["grant_type", "client_id", "client_secret", "scope"] as const;

/** The client credentials of a request, by whichever one method it used (RFC 6749 §2.3: never two). */
function clientCredentials(req: Request, form: Record<string, string | undefined>): { id: string; secret: string } {
  const header = req.headers.authorization;
  const inBody = form.client_id !== undefined || form.client_secret !== undefined;
  if (header !== undefined && inBody) throw new OAuthError("invalid_request", "Use one client authentication method: HTTP Basic or client_id/client_secret in the body, not both");
  if (header !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const decoded = match ? Buffer.from(match[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new OAuthError("invalid_client", "The Authorization header is not HTTP Basic client credentials");
    try {
      // RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding
      const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
      return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      throw new OAuthError("invalid_client", "The Basic credentials are not form-urlencoded");
    }
  }
  if (form.client_id === undefined || form.client_secret === undefined) throw new OAuthError("invalid_client", "Client authentication is required (HTTP Basic, or client_id and client_secret)");
  return { id: form.client_id, secret: form.client_secret };
}

/** The form's parameters, each at most once (RFC 6749 §3.2). */
function readForm(req: Request): Record<string, string | undefined> {
  if (!req.is("application/x-www-form-urlencoded")) throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded");
  const body = (req.body ?? {}) as Record<string, unknown>;
  const form: Record<string, string | undefined> = {};
  for (const name of PARAMETERS) {
    const value = body[name];
    if (value !== undefined && typeof value !== "string") throw new OAuthError("invalid_request", `${name} is given more than once`);
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted
    form[name] = value === "" ? undefined : value;
  }
  return form;
}

/**
 * POST /oauth/token (RFC 6749 §4.4): the client credentials grant, form-encoded, the client
 * authenticated by client_secret_basic or client_secret_post. Limited per client address
 * before anything else, which bounds guessing secrets.
 */
export function createOAuthTokenRouter(options: { ttlSeconds: number; buckets: TokenBuckets; logger: Logger }): Router {
  const router = express.Router();
  router.use(function noStore(_req, res, next) {
    // RFC 6749 §5.1, on the errors too
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Pragma", "no-cache");
    next();
  });
  router.all("/token", function onlyPost(req, res, next) {
    if (req.method === "POST") return next();
    res.setHeader("Allow", "POST");
    res.status(405).json({ error: "invalid_request", error_description: "The token endpoint accepts POST only" });
  });
  router.post("/token", function limitByAddress(req, res, next) {
    const wait = options.buckets.take(`ip:${req.ip}`);
    if (wait === 0) return next();
    res.setHeader("Retry-After", String(wait));
    res.status(429).json({ error: "invalid_request", error_description: `Too many requests; retry after ${wait} s` });
  });
  router.post("/token", express.urlencoded({ extended: false, limit: "4kb", parameterLimit: 20 }));
  router.post("/token", handleAsync(async function token(req, res) {
    const form = readForm(req);
    const credentials = clientCredentials(req, form);
    if (form.grant_type === undefined) throw new OAuthError("invalid_request", "grant_type is required");
    const client = await authenticateOAuthClient(credentials.id, credentials.secret);
    if (!client) throw new OAuthError("invalid_client", "Unknown client or wrong secret");
    if (form.grant_type !== "client_credentials") throw new OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported");
    const { accessToken, expiresIn } = await issueAccessToken(client, options.ttlSeconds);
    res.status(200).json({ access_token: accessToken, token_type: "Bearer", expires_in: expiresIn });
  }));
  router.use(function writeOAuthErrors(error: unknown, _req: Request, res: Response, next: NextFunction) {
    if (res.headersSent) return next(error);
    if (error instanceof OAuthError) {
      if (error.code === "invalid_client") {
        // RFC 6749 §5.2: 401 with the scheme the client may authenticate by
        res.setHeader("WWW-Authenticate", 'Basic realm="roster"');
        return res.status(401).json({ error: error.code, error_description: error.message });
      }
      return res.status(400).json({ error: error.code, error_description: error.message });
    }
    const status = (error as { status?: number; type?: string }).status;
    // the body parser's refusals: too large, too many parameters, malformed, wrong charset
    if (typeof status === "number" && status >= 400 && status < 500) return res.status(400).json({ error: "invalid_request", error_description: "The request body cannot be read" });
    options.logger.error({ err: error, requestId: locals(res).requestId }, "unexpected error at /oauth/token");
    res.status(500).json({ error: "server_error", error_description: "Internal error" });
  });
  return router;
}
