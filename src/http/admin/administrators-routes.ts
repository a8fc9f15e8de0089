import express, { type Router } from "express";
import type { Logger } from "pino";
import { changeAdministrator, createAdministrator, listAdministratorViews, removeAdministrator } from "../../services/administrators";
import { handleAsync } from "../handle-async";
import { locals } from "../request-context";

/**
 * GET /me, and POST, GET /administrators, PUT, DELETE /administrators/{id} (issue #13).
 * Administrators are not a tenant's data, so changes to them go to the server log, with who made them.
 */
export function administratorsRoutes(logger: Logger): Router {
  const router = express.Router();
  const record = (res: express.Response, event: string, target: string) =>
    logger.info({ requestId: locals(res).requestId, actor: locals(res).actor, actorName: locals(res).actorName, administrator: target }, event);

  router.get("/me", function readMe(_req, res) {
    const { id, name, role, tenants } = locals(res).admin!;
    res.json({ id, name, role, tenants });
  });
  router.post("/administrators", handleAsync(async function createAdministratorRoute(req, res) {
    res.setHeader("Cache-Control", "no-store");
    const created = await createAdministrator(req.body);
    record(res, "administrator created", created.id);
    res.status(201).json(created);
  }));
  router.get("/administrators", handleAsync(async function listAdministratorsRoute(_req, res) {
    res.json({ administrators: await listAdministratorViews() });
  }));
  router.put("/administrators/:id", handleAsync(async function changeAdministratorRoute(req, res) {
    const changed = await changeAdministrator(req.params.id, req.body);
    record(res, "administrator changed", changed.id);
    res.json(changed);
  }));
  router.delete("/administrators/:id", handleAsync(async function removeAdministratorRoute(req, res) {
    await removeAdministrator(req.params.id);
    record(res, "administrator deleted", req.params.id);
    res.status(204).end();
  }));
  return router;
}
