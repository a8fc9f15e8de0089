import express, { type Router } from "express";
import { addOrganization, deleteOrganization, getOrganization, listOrganizationViews, replaceOrganization } from "../../services/organizations";
import { handleAsync } from "../handle-async";

/** POST, GET /organizations and GET, PUT, DELETE /organizations/{id} (issue #11: organizations and seats). */
export function organizationsRoutes(): Router {
  const router = express.Router();
  router.post("/organizations", handleAsync(async function createOrganizationRoute(req, res) {
    res.status(201).json(await addOrganization(req.body));
  }));
  router.get("/organizations", handleAsync(async function listOrganizationsRoute(_req, res) {
    res.json({ organizations: await listOrganizationViews() });
  }));
  router.get("/organizations/:id", handleAsync(async function readOrganizationRoute(req, res) {
    res.json(await getOrganization(req.params.id));
  }));
  router.put("/organizations/:id", handleAsync(async function replaceOrganizationRoute(req, res) {
    res.json(await replaceOrganization(req.params.id, req.body));
  }));
  router.delete("/organizations/:id", handleAsync(async function deleteOrganizationRoute(req, res) {
    await deleteOrganization(req.params.id);
    res.status(204).end();
  }));
  return router;
}
