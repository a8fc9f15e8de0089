import { loadConfig } from "./config/load-config";
import { startRoster } from "./start-roster";

/** `npm start`: serve SCIM until SIGINT/SIGTERM (SPEC §2). */
async function main(): Promise<void> {
  const config = loadConfig();
  const roster = await startRoster(config);
  const stop = async (signal: string) => {
    roster.logger.info({ signal }, "shutting down");
    await roster.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  process.stderr.write(`Roster failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
