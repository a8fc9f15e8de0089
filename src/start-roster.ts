import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "./config/load-config";
import { createApp } from "./http/create-app";
import { createLogger } from "./http/log-requests";
import { Readiness } from "./http/readiness";
import { startEventDelivery, startJobs } from "./jobs/run-jobs";
import { collectEventDeliveries } from "./metrics/event-metrics";
import { collectPendingCascades } from "./metrics/lifecycle-metrics";
import { eventDeliveryCounts } from "./services/deliver-events";
import { setRuntime } from "./services/context";
import { ensureBootstrap } from "./services/tenant-admin";
import { startDatabase, type StartedDatabase } from "./store/database/start-database";
import { probeCapabilities } from "./store/capabilities";
import { connectDatabase, disconnectDatabase } from "./store/connection";
import { ensureIndexes } from "./store/models";
import { countPendingTransitions } from "./store/transition-store";

export interface RunningRoster {
  url: string;
  logger: Logger;
  database?: StartedDatabase;
  /**
   * Drains, then stops (SIGTERM): /readyz answers 503 at once, no new connection is accepted,
   * requests in flight (and the cascades they run) and the background sweep finish, for at most
   * ROSTER_SHUTDOWN_TIMEOUT_MS; then the connections left are cut and the database is closed.
   * True when everything finished in time (a cascade cut short is resumed by the next sweep).
   */
  shutdown(): Promise<boolean>;
  /** {@link shutdown}, for callers that do not need to know whether it was clean */
  close(): Promise<void>;
}

export interface StartOptions {
  /** reuse the mongoose connection the caller opened (tests) instead of starting a database */
  connected?: boolean;
  logger?: Logger;
}

/** Starts the whole server: database, indexes, bootstrap token, HTTP, background jobs. */
export async function startRoster(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningRoster> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let database: StartedDatabase | undefined;
  if (!options.connected) {
    database = await startDatabase({
      dataDir: config.dataDir,
      log: (message) => logger.info(message),
      config,
    });
    logger.info({ database: database.kind }, `using database: ${database.kind}`);
    await connectDatabase(database.uri, config.databaseName);
  }
  setRuntime({ now: () => new Date(), processId: `${process.pid}-${randomUUID()}`, leaseMs: config.leaseMs, crashAfterEffect: config.crashAfterEffect });
  await ensureIndexes();
  await probeCapabilities();
  if (config.bootstrapToken) await ensureBootstrap(config.bootstrapToken);
  const readiness = new Readiness();
  const app = createApp(config, logger, readiness);
  collectPendingCascades(() => countPendingTransitions(new Date()));
  collectEventDeliveries(eventDeliveryCounts);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, () => resolve(listening));
  });
  const stopJobs = startJobs(logger, config.jobIntervalMs);
  const stopEvents = startEventDelivery(logger, config.eventIntervalMs, { maxAttempts: config.eventMaxAttempts, retryMs: config.eventRetryMs, timeoutMs: config.eventTimeoutMs });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url: `${url}/scim/v2` }, "Roster is serving SCIM");
  const roster: RunningRoster = {
    url,
    logger,
    database,
    async close() {
      await roster.shutdown();
    },
    async shutdown() {
      readiness.draining = true;
      const finished = Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), stopJobs(), stopEvents()]);
      // a keep-alive connection whose request finishes while draining is closed as soon as it is idle
      const idleCloser = setInterval(() => server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const clean = await Promise.race([finished.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), config.shutdownTimeoutMs)))]);
      clearInterval(idleCloser);
      clearTimeout(timer);
      if (!clean) {
        logger.warn({ timeoutMs: config.shutdownTimeoutMs }, "requests or cascades still running at the shutdown timeout: cutting their connections");
        server.closeAllConnections();
      }
      if (!options.connected) {
        await disconnectDatabase();
        await database?.stop();
      }
      return clean;
    },
  };
  return roster;
}
