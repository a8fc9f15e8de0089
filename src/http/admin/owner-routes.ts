import express, { type Router } from "express";
import { changeOwner, getOwner } from "../../services/owner";
import { handleAsync } from "../handle-async";
import { adminContext } from "./admin-context";

/** GET and PUT /tenants/{t}/owner (SPEC §6, §4 Deactivate 2). */
export function ownerRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/owner", handleAsync(async function readOwner(req, res) {
    res.json(await getOwner(req.params.tenant));
  }));
  router.put("/owner", handleAsync(async function writeOwner(req, res) {
    res.json(await changeOwner(adminContext(req, res), req.body));
  }));
  return router;
}
