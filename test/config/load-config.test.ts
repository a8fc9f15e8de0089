import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, ENV_VARIABLES, loadConfig, parseRateLimit } from "../../src/config/load-config";

const README = path.join(__dirname, "..", "..", "..", "README.md");

/** The variables of the README's configuration table. */
function documentedVariables(): string[] {
  const text = fs.readFileSync(README, "utf8");
  const start = text.indexOf("\n## Configuration\n");
  const section = text.slice(start, text.indexOf("\n## ", start + 1));
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
}

function rejection(env: NodeJS.ProcessEnv, overrides = {}): string {
  try {
    loadConfig(env, overrides);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
  return expect.fail("the configuration was accepted");
}

describe("loadConfig", () => {
  it("fills every default from the schema [empty environment]", () => {
    expect(loadConfig({})).to.deep.equal({
      port: 8080,
      databaseName: "roster",
      dataDir: "./.roster",
      logLevel: "info",
      rateLimit: { perSecond: 100, burst: 200 },
      maxPayloadSize: 1048576,
      oauthTokenTtl: 3600,
      jobIntervalMs: 10000,
      leaseMs: 30000,
      shutdownTimeoutMs: 25000,
      embeddedDatabase: "auto",
      eventIntervalMs: 1000,
      eventMaxAttempts: 10,
      eventRetryMs: 30000,
      eventTimeoutMs: 10000,
    });
  });

  it("reads every variable of the README's configuration table, and no other", () => {
    const read = Object.values(ENV_VARIABLES).filter((name) => !name.startsWith("ROSTER_TEST_"));
    expect([...documentedVariables()].sort()).to.deep.equal([...read].sort());
  });

  it("reads each variable into its setting and coerces numbers", () => {
    const config = loadConfig({
      PORT: "9090",
      MONGODB_URI: "mongodb://db.example:27017/",
      ROSTER_DB_NAME: "roster_eu",
      ROSTER_DATA_DIR: "/var/lib/roster",
      ROSTER_BOOTSTRAP_TOKEN: "bootstrap-0123456789",
      ROSTER_ADMIN_TOKEN: "admin-token-0123456789",
      ROSTER_METRICS_TOKEN: "metrics-token-0123456789",
      LOG_LEVEL: "warn",
      ROSTER_RATE_LIMIT: "25:50",
      ROSTER_MAX_PAYLOAD_SIZE: "2048",
      ROSTER_OAUTH_TOKEN_TTL: "7200",
      ROSTER_JOB_INTERVAL_MS: "500",
      ROSTER_LEASE_MS: "1500",
      ROSTER_SHUTDOWN_TIMEOUT_MS: "5000",
      MONGOMS_SYSTEM_BINARY: "/usr/bin/mongod",
      ROSTER_TRUST_PROXY: "loopback",
      ROSTER_DB: "ferretdb",
      ROSTER_TEST_CRASH_AFTER_EFFECT: "2",
      ROSTER_EVENT_INTERVAL_MS: "250",
      ROSTER_EVENT_MAX_ATTEMPTS: "4",
      ROSTER_EVENT_RETRY_MS: "2000",
      ROSTER_EVENT_TIMEOUT_MS: "3000",
    });
    expect(config).to.deep.equal({
      port: 9090,
      mongodbUri: "mongodb://db.example:27017/",
      databaseName: "roster_eu",
      dataDir: "/var/lib/roster",
      bootstrapToken: "bootstrap-0123456789",
      adminToken: "admin-token-0123456789",
      metricsToken: "metrics-token-0123456789",
      logLevel: "warn",
      rateLimit: { perSecond: 25, burst: 50 },
      maxPayloadSize: 2048,
      oauthTokenTtl: 7200,
      jobIntervalMs: 500,
      leaseMs: 1500,
      shutdownTimeoutMs: 5000,
      mongomsSystemBinary: "/usr/bin/mongod",
      trustProxy: "loopback",
      embeddedDatabase: "ferretdb",
      crashAfterEffect: 2,
      eventIntervalMs: 250,
      eventMaxAttempts: 4,
      eventRetryMs: 2000,
      eventTimeoutMs: 3000,
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", ROSTER_DB: "" })).to.include({ port: 8080, embeddedDatabase: "auto" });
  });

  it("lets explicit overrides win over the environment", () => {
    expect(loadConfig({ PORT: "9090" }, { port: 0 }).port).to.equal(0);
  });

  it("returns a deeply frozen configuration", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.rateLimit)).to.equal(true);
    expect(() => ((config as { port: number }).port = 1)).to.throw(TypeError);
  });

  const invalid: Array<[string, NodeJS.ProcessEnv, string]> = [
    ["port out of range", { PORT: "70000" }, "PORT must be <= 65535"],
    ["port not a number", { PORT: "eighty" }, "PORT must be integer"],
    ["fractional integer", { ROSTER_LEASE_MS: "1.5" }, "ROSTER_LEASE_MS must be integer"],
    ["below minimum", { ROSTER_JOB_INTERVAL_MS: "10" }, "ROSTER_JOB_INTERVAL_MS must be >= 50"],
    ["short token", { ROSTER_ADMIN_TOKEN: "short" }, "ROSTER_ADMIN_TOKEN must NOT have fewer than 16 characters"],
    ["short metrics token", { ROSTER_METRICS_TOKEN: "short" }, "ROSTER_METRICS_TOKEN must NOT have fewer than 16 characters"],
    ["negative shutdown timeout", { ROSTER_SHUTDOWN_TIMEOUT_MS: "-1" }, "ROSTER_SHUTDOWN_TIMEOUT_MS must be >= 0"],
    ["unknown log level", { LOG_LEVEL: "loud" }, "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent"],
    ["unknown ROSTER_DB", { ROSTER_DB: "sqlite" }, "ROSTER_DB must be one of auto, external, mongodb-memory-server, ferretdb, mongo-java-server"],
    ["bad database name", { ROSTER_DB_NAME: "a/b" }, 'ROSTER_DB_NAME must match pattern "^[A-Za-z0-9_-]{1,63}$"'],
    ["small payload limit", { ROSTER_MAX_PAYLOAD_SIZE: "10" }, "ROSTER_MAX_PAYLOAD_SIZE must be >= 1024"],
    ["OAuth token TTL under an hour", { ROSTER_OAUTH_TOKEN_TTL: "3599" }, "ROSTER_OAUTH_TOKEN_TTL must be >= 3600"],
    ["OAuth token TTL over six hours", { ROSTER_OAUTH_TOKEN_TTL: "21601" }, "ROSTER_OAUTH_TOKEN_TTL must be <= 21600"],
  ];
  for (const [variant, env, message] of invalid) {
    it(`rejects an invalid value naming the variable [${variant}]`, () => {
      expect(rejection(env)).to.equal(`Invalid configuration: ${message}`);
    });
  }

  it("lists every invalid value at once", () => {
    expect(rejection({ PORT: "-1", LOG_LEVEL: "loud" })).to.include("PORT must be >= 0").and.include("LOG_LEVEL must be one of");
  });

  it("rejects an unknown setting among the overrides", () => {
    expect(rejection({}, { prot: 1 })).to.equal('Invalid configuration: configuration has an unknown setting "prot"');
  });
});

describe("parseRateLimit", () => {
  it("reads <per second>:<burst>", () => {
    expect(parseRateLimit("25:60")).to.deep.equal({ perSecond: 25, burst: 60 });
  });

  it("doubles the rate as burst when none is given", () => {
    expect(parseRateLimit("30")).to.deep.equal({ perSecond: 30, burst: 60 });
  });

  it("reads 0 as disabled and accepts fractions and surrounding spaces", () => {
    expect(parseRateLimit("0")).to.deep.equal({ perSecond: 0, burst: 0 });
    expect(parseRateLimit(" 0.5:2 ")).to.deep.equal({ perSecond: 0.5, burst: 2 });
  });

  for (const text of ["fast", "10:", ":10", "-1", "10:20:30"]) {
    it(`rejects a malformed value naming ROSTER_RATE_LIMIT [${JSON.stringify(text)}]`, () => {
      expect(() => loadConfig({ ROSTER_RATE_LIMIT: text })).to.throw(ConfigError, `ROSTER_RATE_LIMIT must look like <per second>[:<burst>], got "${text}"`);
    });
  }
});
