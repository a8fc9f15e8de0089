import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "./config/load-config";
import { createApp } from "./http/create-app";
import { createLogger } from "./http/log-requests";
import { startEventDelivery, startJobs } from "./jobs/run-jobs";
import { setRuntime } from "./services/context";
import { ensureBootstrap } from "./services/tenant-admin";
import { startDatabase, type StartedDatabase } from "./store/database/start-database";
import { probeCapabilities } from "./store/capabilities";
import { connectDatabase, disconnectDatabase } from "./store/connection";
import { ensureIndexes } from "./store/models";

export interface RunningRoster {
  url: string;
  logger: Logger;
  database?: StartedDatabase;
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
  const app = createApp(config, logger);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, () => resolve(listening));
  });
  const stopJobs = startJobs(logger, config.jobIntervalMs);
  const stopEvents = startEventDelivery(logger, config.eventIntervalMs, { maxAttempts: config.eventMaxAttempts, retryMs: config.eventRetryMs, timeoutMs: config.eventTimeoutMs });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url: `${url}/scim/v2` }, "Roster is serving SCIM");
  return {
    url,
    logger,
    database,
    async close() {
      await stopJobs();
      await stopEvents();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      if (!options.connected) {
        await disconnectDatabase();
        await database?.stop();
      }
    },
  };
}
