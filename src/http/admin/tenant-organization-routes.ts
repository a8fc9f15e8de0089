import express, { type Router } from "express";
import { changeTenantOrganization, getTenantOrganization } from "../../services/organizations";
import { handleAsync } from "../handle-async";

/** GET and PUT /tenants/{t}/organization: the organization whose seats the tenant shares (issue #11). */
export function tenantOrganizationRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/organization", handleAsync(async function readTenantOrganization(req, res) {
    res.json(await getTenantOrganization(req.params.tenant));
  }));
  router.put("/organization", handleAsync(async function writeTenantOrganization(req, res) {
    res.json(await changeTenantOrganization(req.params.tenant, req.body));
  }));
  return router;
}
