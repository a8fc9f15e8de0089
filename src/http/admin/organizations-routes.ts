import express, { type Response, type Router } from "express";
import type { Logger } from "pino";
import { addOrganization, deleteOrganization, getOrganization, listOrganizationViews, replaceOrganization } from "../../services/organizations";
import { handleAsync } from "../handle-async";
import { locals } from "../request-context";

/**
 * POST, GET /organizations and GET, PUT, DELETE /organizations/{id} (issue #11:
 * organizations and seats). An organization spans tenants and is no tenant's
 * data: its changes go to the server log with the actor who made them.
 */
export function organizationsRoutes(logger: Logger): Router {
  const router = express.Router();
  const record = (res: Response, organization: string, event: string) =>
    logger.info({ requestId: locals(res).requestId, actor: locals(res).actor, actorName: locals(res).actorName, organization }, event);
  router.post("/organizations", handleAsync(async function createOrganizationRoute(req, res) {
    const created = await addOrganization(req.body);
    record(res, created.id, "organization created");
    res.status(201).json(created);
  }));
  router.get("/organizations", handleAsync(async function listOrganizationsRoute(_req, res) {
    res.json({ organizations: await listOrganizationViews() });
  }));
  router.get("/organizations/:id", handleAsync(async function readOrganizationRoute(req, res) {
    res.json(await getOrganization(req.params.id));
  }));
  router.put("/organizations/:id", handleAsync(async function replaceOrganizationRoute(req, res) {
    const replaced = await replaceOrganization(req.params.id, req.body);
    record(res, replaced.id, "organization replaced");
    res.json(replaced);
  }));
  router.delete("/organizations/:id", handleAsync(async function deleteOrganizationRoute(req, res) {
    await deleteOrganization(req.params.id);
    record(res, req.params.id, "organization deleted");
    res.status(204).end();
  }));
  return router;
}
