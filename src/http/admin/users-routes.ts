import express, { type Router } from "express";
import { userJson } from "../../scim/declare-resources";
import { checkAccess, createApiKey, createSession, listUserCredentials } from "../../services/credentials";
import { eraseUser } from "../../services/erase-user";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** /tenants/{t}/users/{id}/…: erase, the login check and the user's credentials (SPEC §4 Erase, §6). */
export function usersRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.post("/users/:id/erase", handleAsync(async function eraseUserRoute(req, res) {
    const erased = await eraseUser(adminContext(req, res), req.params.id);
    res.json(await userJson(req.params.tenant, erased));
  }));
  router.get("/users/:id/access", handleAsync(async function readAccess(req, res) {
    res.json(await checkAccess(req.params.tenant, req.params.id));
  }));
  router.post("/users/:id/sessions", handleAsync(async function createSessionRoute(req, res) {
    res.status(201).json(await createSession(req.params.tenant, req.params.id, req.body));
  }));
  router.post("/users/:id/api-keys", handleAsync(async function createApiKeyRoute(req, res) {
    res.setHeader("Cache-Control", "no-store");
    res.status(201).json(await createApiKey(req.params.tenant, req.params.id, req.body));
  }));
  router.get("/users/:id/credentials", handleAsync(async function readCredentials(req, res) {
    res.json(await listUserCredentials(req.params.tenant, req.params.id));
  }));
  return router;
}
