import express, { type Router } from "express";
import { createToken, deleteToken, listTokenSummaries } from "../../services/tokens";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** POST, GET /tenants/{t}/tokens and DELETE /tenants/{t}/tokens/{id} (SPEC §6). */
export function tokensRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.post("/tokens", handleAsync(async function issueTokenRoute(req, res) {
    res.setHeader("Cache-Control", "no-store");
    res.status(201).json(await createToken(adminContext(req, res), req.body));
  }));
  router.get("/tokens", handleAsync(async function listTokensRoute(req, res) {
    res.json({ tokens: await listTokenSummaries(req.params.tenant) });
  }));
  router.delete("/tokens/:id", handleAsync(async function revokeTokenRoute(req, res) {
    await deleteToken(adminContext(req, res), req.params.id);
    res.status(204).end();
  }));
  return router;
}
