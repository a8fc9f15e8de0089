import type { NextFunction, Request, Response } from "express";
import { adminActor } from "../../domain/admin-access";
import type { ActionContext } from "../../services/context";
import { loadTenantSettings } from "../../services/tenant-policy";
import { handleAsync } from "../handle-async";
import { locals } from "../request-context";

/**
 * The audit context of an admin request on a tenant (SPEC §5, issue #13): actor `admin:<id>`
 * (`admin:root` for ROSTER_ADMIN_TOKEN) with the administrator's name as it is now, and the request's id.
 */
export function adminContext(req: Request, res: Response): ActionContext {
  const { admin, requestId } = locals(res);
  if (!admin) throw new Error("adminContext called before authenticateAdmin");
  return { tenant: req.params.tenant, actor: adminActor(admin), actorName: admin.name, tenantScope: admin.tenants, requestId, bulk: false };
}

/** Every /tenants/{t}/… route answers 404 for an unknown tenant (SPEC §6); the log line names the tenant. */
export const requireTenant = handleAsync(async function requireTenant(req: Request, res: Response, next: NextFunction) {
  locals(res).tenant = req.params.tenant;
  await loadTenantSettings(req.params.tenant);
  next();
});
