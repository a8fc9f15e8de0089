import { Counter, Histogram } from "prom-client";
import { metricsRegistry } from "./registry";

/** The route label of a request that matched no route: one series, whatever the path. */
export const UNMATCHED_ROUTE = "unmatched";

const requestDuration = new Histogram({
  name: "roster_http_request_duration_seconds",
  help: "HTTP requests by route pattern (never the raw path), method and status, and their latency; _count is the number of requests",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

type Observer = Pick<ReturnType<typeof requestDuration.labels>, "observe">;

/**
 * The requests of one route: its label, and an observer per method and status made on
 * first use. A request then costs two Map lookups and one observe, with no label object
 * built (issue #9: CPU per request); the series are bounded by the routes × methods × statuses.
 */
export class RouteSeries {
  private readonly observers = new Map<string, Map<number, Observer>>();

  constructor(readonly route: string) {}

  /** Counts one finished request and its duration. */
  observe(method: string, status: number, seconds: number): void {
    let byStatus = this.observers.get(method);
    if (!byStatus) this.observers.set(method, (byStatus = new Map()));
    let observer = byStatus.get(status);
    if (!observer) byStatus.set(status, (observer = requestDuration.labels(this.route, method, String(status))));
    observer.observe(seconds);
  }
}

/** The series of requests that matched no route. */
export const unmatchedRequests = new RouteSeries(UNMATCHED_ROUTE);

/** Who ran out of rate-limit tokens (SPEC §7): a SCIM token, an unauthenticated client address, or the admin API. */
export type RateLimitScope = "token" | "address" | "admin";

const rateLimitRejections = new Counter({
  name: "roster_rate_limit_rejections_total",
  help: "Requests refused with 429 by the rate limit, by whose bucket was empty",
  labelNames: ["scope"] as const,
  registers: [metricsRegistry],
});

const rejectionsByScope: Record<RateLimitScope, Counter.Internal> = {
  token: rateLimitRejections.labels("token"),
  address: rateLimitRejections.labels("address"),
  admin: rateLimitRejections.labels("admin"),
};

/** Counts one 429 of the rate limit. */
export function countRateLimitRejection(scope: RateLimitScope): void {
  rejectionsByScope[scope].inc();
}
