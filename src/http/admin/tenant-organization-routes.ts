import express, { type Router } from "express";
import type { Logger } from "pino";
import { changeTenantOrganization, getTenantOrganization } from "../../services/organizations";
import { handleAsync } from "../handle-async";
import { locals } from "../request-context";

/** GET and PUT /tenants/{t}/organization: the organization whose seats the tenant shares (issue #11); a change goes to the server log. */
export function tenantOrganizationRoutes(logger: Logger): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/organization", handleAsync(async function readTenantOrganization(req, res) {
    res.json(await getTenantOrganization(req.params.tenant));
  }));
  router.put("/organization", handleAsync(async function writeTenantOrganization(req, res) {
    const changed = await changeTenantOrganization(req.params.tenant, req.body);
    logger.info({ requestId: locals(res).requestId, actor: locals(res).actor, actorName: locals(res).actorName, tenant: req.params.tenant, organization: changed.organizationId }, "tenant organization set");
    res.json(changed);
  }));
  return router;
}
