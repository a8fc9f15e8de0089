import express, { type Router } from "express";
import { getSeats } from "../../services/seats";
import { handleAsync } from "../handle-async";

/** GET /tenants/{t}/seats (SPEC §4 Seats, §6). */
export function seatsRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/seats", handleAsync(async function readSeats(req, res) {
    res.json(await getSeats(req.params.tenant));
  }));
  return router;
}
