import Ajv, { type ErrorObject } from "ajv";
import { CONFIG_SCHEMA, type Config, type RateLimitConfig } from "./config-schema";

export { DATABASE_CHOICES, type Config, type DatabaseChoice, type RateLimitConfig } from "./config-schema";

/** A configuration value is missing, malformed or out of range; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * The environment variable behind each setting (the README's configuration table;
 * a test checks both list the same variables). Only this module reads process.env (STYLE).
 */
export const ENV_VARIABLES: { readonly [K in keyof Config]-?: string } = {
  port: "PORT",
  mongodbUri: "MONGODB_URI",
  databaseName: "ROSTER_DB_NAME",
  dataDir: "ROSTER_DATA_DIR",
  bootstrapToken: "ROSTER_BOOTSTRAP_TOKEN",
  adminToken: "ROSTER_ADMIN_TOKEN",
  metricsToken: "ROSTER_METRICS_TOKEN",
  logLevel: "LOG_LEVEL",
  rateLimit: "ROSTER_RATE_LIMIT",
  maxPayloadSize: "ROSTER_MAX_PAYLOAD_SIZE",
  oauthTokenTtl: "ROSTER_OAUTH_TOKEN_TTL",
  jobIntervalMs: "ROSTER_JOB_INTERVAL_MS",
  leaseMs: "ROSTER_LEASE_MS",
  shutdownTimeoutMs: "ROSTER_SHUTDOWN_TIMEOUT_MS",
  mongomsSystemBinary: "MONGOMS_SYSTEM_BINARY",
  trustProxy: "ROSTER_TRUST_PROXY",
  embeddedDatabase: "ROSTER_DB",
  crashAfterEffect: "ROSTER_TEST_CRASH_AFTER_EFFECT",
  eventIntervalMs: "ROSTER_EVENT_INTERVAL_MS",
  eventMaxAttempts: "ROSTER_EVENT_MAX_ATTEMPTS",
  eventRetryMs: "ROSTER_EVENT_RETRY_MS",
  eventTimeoutMs: "ROSTER_EVENT_TIMEOUT_MS",
};

/** Settings whose variable is not a plain value for the schema to coerce. */
const PARSERS: { readonly [K in keyof Config]?: (text: string) => Config[K] } = {
  rateLimit: parseRateLimit,
};

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true });
const validate = ajv.compile(CONFIG_SCHEMA);

/** Parses `ROSTER_RATE_LIMIT` (`<requests per second>[:<burst>]`, `0` disables), SPEC §2. */
export function parseRateLimit(text: string): RateLimitConfig {
  const match = /^\s*(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!match) throw new ConfigError(`ROSTER_RATE_LIMIT must look like <per second>[:<burst>], got "${text}"`);
  const perSecond = Number(match[1]);
  const burst = match[2] === undefined ? perSecond * 2 : Number(match[2]);
  return { perSecond, burst };
}

/** Builds the configuration from environment variables (SPEC §2) plus explicit overrides; validated and deeply frozen. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENV_VARIABLES) as Array<[keyof Config, string]>) {
    const text = env[variable];
    if (text === undefined || text === "") continue;
    const parse = PARSERS[key] as ((text: string) => unknown) | undefined;
    raw[key] = parse ? parse(text) : text;
  }
  Object.assign(raw, overrides);
  if (!validate(raw)) {
    const details = (validate.errors ?? []).map(describeError);
    throw new ConfigError(`Invalid configuration: ${details.join("; ")}`);
  }
  return deepFreeze(raw as unknown as Config);
}

/** One ajv error in the words of the environment: `PORT must be <= 65535`, `ROSTER_RATE_LIMIT/burst …`. */
function describeError(error: ErrorObject): string {
  const [, key, ...rest] = error.instancePath.split("/");
  const name = key && key in ENV_VARIABLES ? ENV_VARIABLES[key as keyof Config] : "configuration";
  const where = rest.length ? `${name}/${rest.join("/")}` : name;
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string };
  if (params.allowedValues) return `${where} must be one of ${params.allowedValues.join(", ")}`;
  if (params.additionalProperty) return `${where} has an unknown setting "${params.additionalProperty}"`;
  return `${where} ${error.message}`;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
