import express, { type Router } from "express";
import type { Logger } from "pino";
import type { TokenBuckets } from "../rate-limit";

export interface AdminRouterOptions {
  adminToken?: string;
  buckets: TokenBuckets;
  logger: Logger;
  maxPayloadSize: number;
}

/** /admin/v1 (SPEC §6). */
export function createAdminRouter(_options: AdminRouterOptions): Router {
  return express.Router();
}
