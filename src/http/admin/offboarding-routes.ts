import express, { type Router } from "express";
import { userJson } from "../../scim/declare-resources";
import { offboardAsAdmin, planAdminOffboarding } from "../../services/admin-offboarding";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/**
 * SPEC §11 offboarding plan and administrator offboarding: GET …/offboarding-plan
 * (the policy's defaults) and POST …/offboarding-plan (with choices) change nothing;
 * POST …/deactivate, …/remove, …/reactivate run the transition.
 */
export function offboardingRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/users/:id/offboarding-plan", handleAsync(async function readOffboardingPlan(req, res) {
    res.json(await planAdminOffboarding(adminContext(req, res), req.params.id, req.query, undefined));
  }));
  router.post("/users/:id/offboarding-plan", handleAsync(async function previewOffboardingChoices(req, res) {
    res.json(await planAdminOffboarding(adminContext(req, res), req.params.id, req.query, req.body));
  }));
  router.post("/users/:id/deactivate", handleAsync(async function deactivateUserRoute(req, res) {
    res.json(await userJson(req.params.tenant, await offboardAsAdmin(adminContext(req, res), req.params.id, "deactivate", req.body)));
  }));
  router.post("/users/:id/reactivate", handleAsync(async function reactivateUserRoute(req, res) {
    res.json(await userJson(req.params.tenant, await offboardAsAdmin(adminContext(req, res), req.params.id, "reactivate", req.body)));
  }));
  router.post("/users/:id/remove", handleAsync(async function removeUserRoute(req, res) {
    await offboardAsAdmin(adminContext(req, res), req.params.id, "remove", req.body);
    res.status(204).end();
  }));
  return router;
}
