import Ajv from "ajv";
import configSchema from "../../schemas/config.schema.json";

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

/** Validated, frozen configuration. Only this module reads process.env (STYLE). */
export interface Config {
  port: number;
  mongodbUri?: string;
  /** database (namespace) Roster uses on the server, `ROSTER_DB_NAME`, default `roster` */
  databaseName: string;
  dataDir: string;
  bootstrapToken?: string;
  adminToken?: string;
  logLevel: string;
  /** perSecond 0 disables rate limiting (SPEC §7) */
  rateLimit: RateLimitConfig;
  maxPayloadSize: number;
  /** how often background jobs (cascade resumption, leave dates) sweep */
  jobIntervalMs: number;
  /** how long a process owns a job before another may take it over (SPEC §10) */
  leaseMs: number;
  mongomsSystemBinary?: string;
  /** express `trust proxy` behind a TLS-terminating proxy: hop count, `loopback`, or addresses */
  trustProxy?: string;
  embeddedDatabase: "auto" | "external" | "mongodb-memory-server" | "ferretdb" | "mongo-java-server";
  /** test-only fault injection (SPEC §4 Crash safety test): exit after this cascade step */
  crashAfterEffect?: number;
}

export class ConfigError extends Error {}

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true });
const validate = ajv.compile(configSchema);

/** Parses `ROSTER_RATE_LIMIT` (`<requests per second>[:<burst>]`, `0` disables), SPEC §2. */
export function parseRateLimit(text: string): RateLimitConfig {
  const match = /^\s*(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!match) throw new ConfigError(`ROSTER_RATE_LIMIT must look like <per second>[:<burst>], got "${text}"`);
  const perSecond = Number(match[1]);
  const burst = match[2] === undefined ? perSecond * 2 : Number(match[2]);
  return { perSecond, burst };
}

/** Builds the configuration from environment variables (SPEC §2) plus explicit overrides. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== "") raw[key] = value;
  };
  set("port", env.PORT);
  set("mongodbUri", env.MONGODB_URI);
  set("databaseName", env.ROSTER_DB_NAME);
  set("dataDir", env.ROSTER_DATA_DIR);
  set("bootstrapToken", env.ROSTER_BOOTSTRAP_TOKEN);
  set("adminToken", env.ROSTER_ADMIN_TOKEN);
  set("logLevel", env.LOG_LEVEL);
  if (env.ROSTER_RATE_LIMIT) raw.rateLimit = parseRateLimit(env.ROSTER_RATE_LIMIT);
  set("maxPayloadSize", env.ROSTER_MAX_PAYLOAD_SIZE);
  set("jobIntervalMs", env.ROSTER_JOB_INTERVAL_MS);
  set("leaseMs", env.ROSTER_LEASE_MS);
  set("mongomsSystemBinary", env.MONGOMS_SYSTEM_BINARY);
  set("trustProxy", env.ROSTER_TRUST_PROXY);
  set("embeddedDatabase", env.ROSTER_DB);
  set("crashAfterEffect", env.ROSTER_TEST_CRASH_AFTER_EFFECT);
  Object.assign(raw, overrides);
  if (!validate(raw)) {
    const details = (validate.errors ?? []).map((e) => `${e.instancePath || "config"} ${e.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${details}`);
  }
  return deepFreeze(raw as unknown as Config);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
