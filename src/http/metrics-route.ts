import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../metrics/registry";
import { hashToken } from "../services/hash-token";
import { bearerToken } from "./admin/authenticate-admin";
import { handleAsync } from "./handle-async";

const digest = (text: string) => Buffer.from(hashToken(text), "hex");

/**
 * Who may scrape /metrics: the holder of ROSTER_METRICS_TOKEN (a scraper needs no admin
 * rights), or anyone the admin API's own authentication lets in, so every administrator
 * passes and failed guesses draw on the caller's rate-limit bucket as they do there.
 */
export function authenticateMetrics(metricsToken: string | undefined, authenticateAdmin: RequestHandler): RequestHandler {
  const expected = metricsToken ? digest(metricsToken) : undefined;
  return function authenticateScraper(req: Request, res: Response, next: NextFunction): void {
    const presented = bearerToken(req);
    if (expected && presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    authenticateAdmin(req, res, next);
  };
}

/** GET /metrics: the Prometheus text format of the process's registry. */
export const serveMetrics = handleAsync(async function serveMetrics(_req: Request, res: Response) {
  const text = await renderMetrics();
  res.setHeader("Cache-Control", "no-store");
  res.type(METRICS_CONTENT_TYPE).send(text);
});
