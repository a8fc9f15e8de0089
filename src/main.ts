import { loadConfig } from "./config/load-config";
import { startRoster } from "./start-roster";

/**
 * `npm start`: serve SCIM until SIGINT/SIGTERM (SPEC §2), then drain: stop accepting, finish
 * the requests and cascades in flight (ROSTER_SHUTDOWN_TIMEOUT_MS at most), close the database,
 * exit 0; exit 1 when the timeout cut something short. A second signal while draining ends at once.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const roster = await startRoster(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    roster.logger.info({ signal }, "shutting down: draining");
    try {
      const clean = await roster.shutdown();
      roster.logger.info({ signal, clean }, "stopped");
      process.exit(clean ? 0 : 1);
    } catch (error) {
      roster.logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  process.stderr.write(`Roster failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
