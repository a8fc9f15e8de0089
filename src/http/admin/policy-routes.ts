import express, { type Router } from "express";
import { getPolicy, replacePolicy } from "../../services/policy";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** GET and PUT /tenants/{t}/policy (SPEC §6). */
export function policyRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/policy", handleAsync(async function readPolicy(req, res) {
    res.json(await getPolicy(req.params.tenant));
  }));
  router.put("/policy", handleAsync(async function writePolicy(req, res) {
    res.json(await replacePolicy(adminContext(req, res), req.body));
  }));
  return router;
}
