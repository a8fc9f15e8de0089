import type { NextFunction, Request, Response } from "express";
import { decideAdminAccess, hasAllTenants, roleAtLeast, type AdminAccess } from "../../domain/admin-access";
import { RosterError } from "../../domain/roster-error";
import { locals } from "../request-context";
import { findRouteRole } from "./route-roles";

/**
 * Enforces the role table (src/http/admin/route-roles.ts) on every admin request, after
 * authentication: a tenant outside the administrator's scope answers exactly as an unknown
 * tenant (404), a role too low answers 403 naming the role needed. A request no row covers
 * reaches the routes only for an owner of every tenant: a route left out of the table is
 * closed to everyone else (404, as an unknown path), never open.
 */
export function authorizeAdmin(req: Request, res: Response, next: NextFunction): void {
  const admin = locals(res).admin;
  if (!admin) return next(new Error("authorizeAdmin runs after authenticateAdmin"));
  const found = findRouteRole(req.method, req.path);
  if (!found) {
    if (roleAtLeast(admin.role, "owner") && hasAllTenants(admin)) return next();
    return next(RosterError.notFound(`No admin endpoint at ${req.path}`));
  }
  const access: AdminAccess = decideAdminAccess(admin, found.row, found.tenant);
  switch (access.outcome) {
    case "allowed":
      return next();
    case "hidden":
      // the very answer requireTenant gives for a tenant that does not exist
      return next(RosterError.notFound(`Tenant ${found.tenant} not found`));
    case "refused":
      return next(RosterError.notPermitted(access.detail));
    default: {
      const unknown: never = access;
      return next(new Error(`unknown access outcome ${JSON.stringify(unknown)}`));
    }
  }
}
