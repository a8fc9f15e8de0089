import express, { type Router } from "express";
import { listAudit } from "../../services/audit-log";
import { handleAsync } from "../handle-async";

/** GET /tenants/{t}/audit (SPEC §5, §6). */
export function auditRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/audit", handleAsync(async function readAudit(req, res) {
    res.json(await listAudit(req.params.tenant, req.query));
  }));
  return router;
}
