import express, { type Router } from "express";
import { RosterError } from "../domain/roster-error";
import { tenantJwks } from "../services/event-keys";
import { pollEvents } from "../services/poll-events";
import { loadTenantSettings } from "../services/tenant-policy";
import { handleAsync } from "./handle-async";

/**
 * /events/v1 (README "Lifecycle events"): the tenant's public signing keys, unauthenticated
 * (RFC 7517 JWK Set), and the RFC 8936 poll endpoint, authenticated by the subscription's poll token.
 */
export function createEventsRouter(maxPayloadSize: number): Router {
  const router = express.Router();
  router.get("/tenants/:tenant/jwks.json", handleAsync(async function eventJwksRoute(req, res) {
    await loadTenantSettings(req.params.tenant);
    res.setHeader("Cache-Control", "public, max-age=300");
    res.type("application/jwk-set+json").send(JSON.stringify(await tenantJwks(req.params.tenant)));
  }));
  router.post(
    "/tenants/:tenant/event-subscriptions/:id/poll",
    express.json({ limit: maxPayloadSize, type: () => true, strict: true }),
    handleAsync(async function pollEventsRoute(req, res) {
      await loadTenantSettings(req.params.tenant);
      const header = req.headers.authorization;
      const bearer = header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : undefined;
      res.setHeader("Cache-Control", "no-store");
      try {
        res.json(await pollEvents(req.params.tenant, req.params.id, bearer, req.body));
      } catch (error) {
        // RFC 6750 §3: a refused bearer token says which scheme it wants
        if (error instanceof RosterError && error.kind === "unauthorized") res.setHeader("WWW-Authenticate", 'Bearer realm="roster-events"');
        throw error;
      }
    }),
  );
  return router;
}
