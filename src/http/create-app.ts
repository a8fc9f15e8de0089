import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { Config } from "../config/load-config";
import { RosterError } from "../domain/roster-error";
import { pingDatabase } from "../store/connection";
import { setUnexpectedErrorReporter } from "../scim/scim-error";
import { createAdminRouter } from "./admin/admin-router";
import { createEventsRouter } from "./events-router";
import { authenticateScim } from "./authenticate-scim";
import { consoleRoute } from "./console-route";
import { INPUT_LIMITS } from "../scim/input-limits";
import { handleAsync } from "./handle-async";
import { limitJsonDepth } from "./limit-json-depth";
import { logRequests } from "./log-requests";
import { authenticateMetrics, serveMetrics } from "./metrics-route";
import { authenticateAdmin } from "./admin/authenticate-admin";
import { closeConnectionsWhileDraining, Readiness, readyz } from "./readiness";
import { RouteTable } from "./route-table";
import { createOAuthTokenRouter } from "./oauth-token-route";
import { TokenBuckets, rateLimit } from "./rate-limit";
import { assignRequestId, locals } from "./request-context";
import { refuseQueryToken } from "./refuse-query-token";
import { createScimRouter } from "./scim-router";
import { openApiRoute } from "./openapi/openapi-route";
import { writeAdminErrors, writeScimErrors } from "./write-errors";

export const MAX_BULK_OPERATIONS = INPUT_LIMITS.maxBulkOperations;

/**
 * The express application: helmet, request ids, logs and request metrics, rate limits, SCIM and
 * admin APIs, health, readiness and metrics (SPEC §2, §7). `readiness` is how the server tells
 * the app it is draining (start-roster's close).
 */
export function createApp(config: Readonly<Config>, logger: Logger, readiness = new Readiness()): Express {
  setUnexpectedErrorReporter((error) => logger.error({ err: error }, "unexpected error in a SCIM handler"));
  const app = express();
  app.disable("x-powered-by");
  // behind a TLS proxy: https in meta.location, and the client's address for rate limits
  if (config.trustProxy) app.set("trust proxy", /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);
  app.use(helmet());
  app.use(assignRequestId);
  const routes = new RouteTable();
  app.use(logRequests(logger, routes));
  app.use(closeConnectionsWhileDraining(readiness));
  const buckets = new TokenBuckets(config.rateLimit);
  const clientKey = (req: Request) => `ip:${req.ip}`;

  app.get(
    "/healthz",
    refuseQueryToken,
    handleAsync(async function health(_req, res) {
      if (await pingDatabase()) res.json({ status: "ok" });
      else res.status(503).json({ status: "unavailable" });
    }),
  );
  app.get("/readyz", refuseQueryToken, readyz(readiness));
  // the admin API's authentication, so every administrator may scrape; or a token that can do nothing else
  app.get("/metrics", refuseQueryToken, authenticateMetrics(config.metricsToken, authenticateAdmin(config.adminToken, buckets)), serveMetrics);
  // unauthenticated, like /healthz: the description holds no tenant data and clients generate code from it
  app.get("/openapi.json", refuseQueryToken, openApiRoute());

  app.use("/oauth", refuseQueryToken, createOAuthTokenRouter({ ttlSeconds: config.oauthTokenTtl, buckets, logger }));

  const scim = express.Router();
  // before authentication, so a token in the URL is refused whether or not it is valid
  scim.use(refuseQueryToken);
  scim.use(
    authenticateScim(function limitUnauthenticated(req, res) {
      // unauthenticated callers are limited per client address (SPEC §7): 429 once its bucket is empty
      const wait = buckets.take(clientKey(req));
      if (wait === 0) return undefined;
      res.setHeader("Retry-After", String(wait));
      return RosterError.tooManyRequests(wait);
    }),
  );
  scim.use(rateLimit(buckets, (_req, res) => `token:${locals(res).actor}`));
  scim.use(express.json({ limit: config.maxPayloadSize, type: ["application/json", "application/scim+json"] }));
  scim.use(limitJsonDepth(INPUT_LIMITS.maxJsonDepth));
  scim.use(createScimRouter({ maxPayloadSize: config.maxPayloadSize, maxBulkOperations: MAX_BULK_OPERATIONS }));
  scim.use((req: Request, _res: Response, next: NextFunction) => next(RosterError.notFound(`No SCIM endpoint at ${req.path}`)));
  scim.use(writeScimErrors(logger, config.maxPayloadSize));
  app.use("/scim/v2", scim);

  const admin = express.Router();
  admin.use(refuseQueryToken);
  admin.use(createAdminRouter({ adminToken: config.adminToken, buckets, logger, maxPayloadSize: config.maxPayloadSize }));
  admin.use((req: Request, _res: Response, next: NextFunction) => next(RosterError.notFound(`No admin endpoint at ${req.path}`)));
  admin.use(writeAdminErrors(logger, config.maxPayloadSize));
  app.use("/admin/v1", admin);

  // lifecycle events: the JWKS (public) and RFC 8936 polling (poll token); limited per client address
  const events = express.Router();
  events.use(refuseQueryToken);
  events.use(rateLimit(buckets, clientKey));
  events.use(createEventsRouter(config.maxPayloadSize));
  events.use((req: Request, _res: Response, next: NextFunction) => next(RosterError.notFound(`No events endpoint at ${req.path}`)));
  events.use(writeAdminErrors(logger, config.maxPayloadSize));
  app.use("/events/v1", events);

  app.use("/console", refuseQueryToken, consoleRoute());

  app.use(refuseQueryToken);
  app.use((req: Request, res: Response) => {
    res.status(404).json({ status: 404, detail: `Nothing at ${req.path}` });
  });
  // outside the two APIs (healthz, unknown paths): the admin error shape, never express's HTML page with a stack
  app.use(writeAdminErrors(logger, config.maxPayloadSize));
  routes.learn(app);
  return app;
}
