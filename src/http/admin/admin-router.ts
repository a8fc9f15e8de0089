import express, { type Router } from "express";
import type { Logger } from "pino";
import { INPUT_LIMITS } from "../../scim/input-limits";
import { limitJsonDepth } from "../limit-json-depth";
import { locals } from "../request-context";
import { rateLimit, type TokenBuckets } from "../rate-limit";
import { requireTenant } from "./admin-context";
import { administratorsRoutes } from "./administrators-routes";
import { auditRoutes } from "./audit-routes";
import { authenticateAdmin } from "./authenticate-admin";
import { authorizeAdmin } from "./authorize-admin";
import { eventSubscriptionsRoutes } from "./event-subscriptions-routes";
import { oauthClientsRoutes } from "./oauth-clients-routes";
import { offboardingRoutes } from "./offboarding-routes";
import { organizationsRoutes } from "./organizations-routes";
import { ownerRoutes } from "./owner-routes";
import { policyRoutes } from "./policy-routes";
import { seatsRoutes } from "./seats-routes";
import { tenantOrganizationRoutes } from "./tenant-organization-routes";
import { tenantsRoutes } from "./tenants-routes";
import { tokensRoutes } from "./tokens-routes";
import { usersRoutes } from "./users-routes";

export interface AdminRouterOptions {
  adminToken?: string;
  buckets: TokenBuckets;
  logger: Logger;
  maxPayloadSize: number;
}

/**
 * /admin/v1 (SPEC §6): the admin bearer token (root or a named administrator),
 * then its rate limit (one bucket per administrator), then the role table, then
 * the JSON body (parsed whatever the Content-Type, so `curl -d` works), then the
 * routes. Errors go to the admin error writer mounted after this router.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const router = express.Router();
  router.use(authenticateAdmin(options.adminToken, options.buckets));
  router.use(rateLimit(options.buckets, function adminKey(_req, res) {
    return locals(res).actor!;
  }));
  router.use(authorizeAdmin);
  router.use(express.json({ limit: options.maxPayloadSize, type: () => true, strict: true }));
  router.use(limitJsonDepth(INPUT_LIMITS.maxJsonDepth));
  router.use(administratorsRoutes(options.logger));
  router.use(tenantsRoutes(options.logger));
  router.use(organizationsRoutes(options.logger));

  const tenant = express.Router({ mergeParams: true });
  tenant.use(policyRoutes(), ownerRoutes(), tokensRoutes(), oauthClientsRoutes(), auditRoutes(), seatsRoutes(), tenantOrganizationRoutes(options.logger), usersRoutes(), offboardingRoutes(), eventSubscriptionsRoutes());
  router.use("/tenants/:tenant", requireTenant, tenant);
  return router;
}
