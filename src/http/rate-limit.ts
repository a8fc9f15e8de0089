import type { NextFunction, Request, Response } from "express";
import type { RateLimitConfig } from "../config/load-config";
import { RosterError } from "../domain/roster-error";
import { countRateLimitRejection, type RateLimitScope } from "../metrics/request-metrics";

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * A token bucket per key: `perSecond` refill with `burst` capacity (SPEC §7).
 * Hand-written because it is twenty lines and the common libraries count fixed
 * windows, which do not give the burst semantics ROSTER_RATE_LIMIT promises.
 * Limits are per process: behind a load balancer each process has its own.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: RateLimitConfig) {}

  /** Seconds to wait, or 0 when the request may proceed; every caller answers a wait with 429, counted here once. */
  take(key: string, now = Date.now()): number {
    if (this.config.perSecond <= 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: this.config.burst, updated: now };
    bucket.tokens = Math.min(this.config.burst, bucket.tokens + ((now - bucket.updated) / 1000) * this.config.perSecond);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.forgetFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    countRateLimitRejection(scopeOf(key));
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.config.perSecond));
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updated) / 1000) * this.config.perSecond >= this.config.burst) this.buckets.delete(key);
    }
  }
}

/** Whose bucket a key names: `token:<id>`, `ip:<address>`, or the admin API's. */
function scopeOf(key: string): RateLimitScope {
  if (key.startsWith("token:")) return "token";
  if (key.startsWith("ip:")) return "address";
  return "admin";
}

/** Express middleware limiting by the key `keyOf` derives (token, admin token, or client address). */
export function rateLimit(buckets: TokenBuckets, keyOf: (req: Request, res: Response) => string) {
  return function limitRate(req: Request, res: Response, next: NextFunction): void {
    const wait = buckets.take(keyOf(req, res));
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      next(RosterError.tooManyRequests(wait));
      return;
    }
    next();
  };
}
