import type { NextFunction, Request, Response } from "express";
import pino, { type Logger } from "pino";
import { locals } from "./request-context";
import type { RouteTable } from "./route-table";

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * One structured line per request: id, tenant, status, duration (SPEC §2 LOG_LEVEL); and the
 * same duration counted in /metrics under the request's route, from the same clock reading.
 */
export function logRequests(logger: Logger, routes: RouteTable) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      routes.seriesOf(req).observe(req.method, res.statusCode, ms / 1000);
      const { requestId, tenant, ignoredAttributes } = locals(res);
      const line = { requestId, tenant, method: req.method, path: req.originalUrl.split("?")[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // a typo in an identity provider's mapping stays visible (policy unknownAttributes: ignore)
      if (ignoredAttributes?.length) logger.warn({ ...line, ignoredAttributes }, "request with unknown attributes ignored");
      else logger.info(line, "request");
    });
    next();
  };
}
