import express, { type Router } from "express";
import { createOAuthClient, listOAuthClientSummaries, removeOAuthClient } from "../../services/oauth-clients";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** POST, GET /tenants/{t}/oauth-clients and DELETE /tenants/{t}/oauth-clients/{clientId} (RFC 6749 §4.4 clients). */
export function oauthClientsRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.post("/oauth-clients", handleAsync(async function createOAuthClientRoute(req, res) {
    res.setHeader("Cache-Control", "no-store");
    res.status(201).json(await createOAuthClient(adminContext(req, res), req.body));
  }));
  router.get("/oauth-clients", handleAsync(async function listOAuthClientsRoute(req, res) {
    res.json({ oauthClients: await listOAuthClientSummaries(req.params.tenant) });
  }));
  router.delete("/oauth-clients/:clientId", handleAsync(async function deleteOAuthClientRoute(req, res) {
    await removeOAuthClient(adminContext(req, res), req.params.clientId);
    res.status(204).end();
  }));
  return router;
}
