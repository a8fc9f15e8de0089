import type { JSONSchemaType } from "ajv";

/** The databases `ROSTER_DB` may force; `auto` runs the chain (SPEC §8). */
export const DATABASE_CHOICES = ["auto", "external", "mongodb-memory-server", "ferretdb", "mongo-java-server"] as const;

/** A value of `ROSTER_DB`. */
export type DatabaseChoice = (typeof DATABASE_CHOICES)[number];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

/** Validated, frozen configuration (SPEC §2); {@link CONFIG_SCHEMA} is checked against it by the compiler. */
export interface Config {
  port: number;
  mongodbUri?: string;
  /** database (namespace) Roster uses on the server, `ROSTER_DB_NAME`, default `roster` */
  databaseName: string;
  dataDir: string;
  bootstrapToken?: string;
  adminToken?: string;
  /** bearer token that may scrape GET /metrics and nothing else (the admin token may too) */
  metricsToken?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** perSecond 0 disables rate limiting (SPEC §7) */
  rateLimit: RateLimitConfig;
  maxPayloadSize: number;
  /** seconds an access token from /oauth/token lives (RFC 6749 §4.4.3 expires_in) */
  oauthTokenTtl: number;
  /** how often background jobs (cascade resumption, leave dates) sweep */
  jobIntervalMs: number;
  /** how long a process owns a job before another may take it over (SPEC §10) */
  leaseMs: number;
  /** on SIGTERM, how long in-flight requests and cascades may take to finish before their connections are cut */
  shutdownTimeoutMs: number;
  mongomsSystemBinary?: string;
  /** express `trust proxy` behind a TLS-terminating proxy: hop count, `loopback`, or addresses */
  trustProxy?: string;
  embeddedDatabase: DatabaseChoice;
  /** test-only fault injection (SPEC §4 Crash safety test): exit after this cascade step */
  crashAfterEffect?: number;
  /** how often lifecycle events are fanned out and pushed */
  eventIntervalMs: number;
  /** pushes of one SET before it becomes a dead letter */
  eventMaxAttempts: number;
  /** wait before the first retry of a failed push; doubled at each further one (at most an hour) */
  eventRetryMs: number;
  /** how long a push waits for the receiver's answer */
  eventTimeoutMs: number;
}

/**
 * The JSON Schema of the configuration (ajv, fastify's way: `additionalProperties:false`,
 * defaults, coercion). Typed `JSONSchemaType<Config>`, so the schema and {@link Config}
 * cannot drift apart: a property added to one and not the other does not compile.
 * ajv's type asks optional properties to be `nullable`; `loadConfig` never passes null.
 */
export const CONFIG_SCHEMA: JSONSchemaType<Config> = {
  $id: "roster:config",
  title: "Roster configuration (from the environment)",
  type: "object",
  additionalProperties: false,
  properties: {
    port: { type: "integer", minimum: 0, maximum: 65535, default: 8080 },
    mongodbUri: { type: "string", minLength: 1, nullable: true },
    databaseName: { type: "string", pattern: "^[A-Za-z0-9_-]{1,63}$", default: "roster" },
    dataDir: { type: "string", minLength: 1, default: "./.roster" },
    bootstrapToken: { type: "string", minLength: 16, nullable: true },
    adminToken: { type: "string", minLength: 16, nullable: true },
    metricsToken: { type: "string", minLength: 16, nullable: true },
    logLevel: { type: "string", enum: LOG_LEVELS, default: "info" },
    rateLimit: {
      type: "object",
      additionalProperties: false,
      properties: {
        perSecond: { type: "number", minimum: 0 },
        burst: { type: "number", minimum: 0 },
      },
      required: ["perSecond", "burst"],
      default: { perSecond: 100, burst: 200 },
    },
    maxPayloadSize: { type: "integer", minimum: 1024, default: 1048576 },
    oauthTokenTtl: { type: "integer", minimum: 3600, maximum: 21600, default: 3600 },
    jobIntervalMs: { type: "integer", minimum: 50, default: 10000 },
    leaseMs: { type: "integer", minimum: 50, default: 30000 },
    shutdownTimeoutMs: { type: "integer", minimum: 0, default: 25000 },
    mongomsSystemBinary: { type: "string", nullable: true },
    trustProxy: { type: "string", minLength: 1, nullable: true, description: "express 'trust proxy' value: hop count, 'loopback', or addresses/CIDRs" },
    embeddedDatabase: { type: "string", enum: DATABASE_CHOICES, default: "auto" },
    crashAfterEffect: { type: "integer", minimum: 0, nullable: true },
    eventIntervalMs: { type: "integer", minimum: 20, default: 1000 },
    eventMaxAttempts: { type: "integer", minimum: 1, maximum: 100, default: 10 },
    eventRetryMs: { type: "integer", minimum: 10, default: 30000 },
    eventTimeoutMs: { type: "integer", minimum: 100, default: 10000 },
  },
  required: ["port", "databaseName", "dataDir", "logLevel", "rateLimit", "maxPayloadSize", "oauthTokenTtl", "jobIntervalMs", "leaseMs", "shutdownTimeoutMs", "embeddedDatabase", "eventIntervalMs", "eventMaxAttempts", "eventRetryMs", "eventTimeoutMs"],
};
