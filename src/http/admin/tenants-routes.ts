import express, { type Router } from "express";
import type { Logger } from "pino";
import { inScope } from "../../domain/admin-access";
import { addTenant, deleteTenant, listTenantSummaries } from "../../services/tenants";
import { handleAsync } from "../handle-async";
import { locals } from "../request-context";

/** POST, GET /tenants and DELETE /tenants/{t} (SPEC §6). */
export function tenantsRoutes(logger: Logger): Router {
  const router = express.Router();
  router.post("/tenants", handleAsync(async function createTenantRoute(req, res) {
    const tenant = await addTenant(req.body);
    locals(res).tenant = tenant.id;
    res.status(201).json(tenant);
  }));
  router.get("/tenants", handleAsync(async function listTenantsRoute(_req, res) {
    // only the tenants in the administrator's scope (issue #13): the others are not disclosed
    const admin = locals(res).admin!;
    res.json({ tenants: (await listTenantSummaries()).filter((tenant) => inScope(admin, tenant.id)) });
  }));
  router.delete("/tenants/:tenant", handleAsync(async function deleteTenantRoute(req, res) {
    locals(res).tenant = req.params.tenant;
    await deleteTenant(req.params.tenant);
    // the audit log went with the tenant: the server log is the record (SPEC §6)
    logger.warn({ tenant: req.params.tenant, requestId: locals(res).requestId, actor: locals(res).actor, actorName: locals(res).actorName }, "tenant deleted with all its data and audit log");
    res.status(204).end();
  }));
  return router;
}
