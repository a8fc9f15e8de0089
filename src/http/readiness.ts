import type { NextFunction, Request, Response } from "express";
import { pingDatabase } from "../store/connection";
import { handleAsync } from "./handle-async";

/** Whether this server is draining (SIGTERM): it finishes what it has, and takes nothing new. */
export class Readiness {
  draining = false;
}

/**
 * GET /readyz: 200 only while the database answers and the server is not draining, so a
 * load balancer stops sending requests as soon as shutdown begins; /healthz stays about liveness.
 */
export function readyz(readiness: Readiness) {
  return handleAsync(async function ready(_req: Request, res: Response) {
    if (readiness.draining) res.status(503).json({ status: "draining" });
    else if (await pingDatabase()) res.json({ status: "ready" });
    else res.status(503).json({ status: "unavailable" });
  });
}

/** While draining, every response closes its connection, so keep-alive clients reconnect elsewhere and the server can finish. */
export function closeConnectionsWhileDraining(readiness: Readiness) {
  return function closeWhileDraining(_req: Request, res: Response, next: NextFunction): void {
    if (readiness.draining) res.setHeader("Connection", "close");
    next();
  };
}
