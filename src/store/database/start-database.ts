import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config/load-config";
import { DataDirInUse } from "./data-dir-in-use";
import { DatabaseUnavailable } from "./database-unavailable";
import { ferretdbDataDir, startFerretdb } from "./start-ferretdb";
import { startMemoryServer } from "./start-memory-server";
import { mongoJavaServerDataDir, startMongoJavaServer } from "./start-mongo-java-server";
import { BackendOptions, DATABASE_KINDS, DatabaseKind, StartedDatabase } from "./started-database";
import { useExternalDatabase } from "./use-external-database";

export type { DatabaseKind, StartedDatabase } from "./started-database";

export interface StartDatabaseOptions {
  /** persistent data directory (e.g. `./.roster`); undefined = throwaway data */
  dataDir?: string;
  log: (msg: string) => void;
  /**
   * The database settings, parsed once by `loadConfig` (`MONGODB_URI`, `MONGOMS_SYSTEM_BINARY`,
   * and `ROSTER_DB`, which forces one kind of the chain, e.g. `ferretdb` to exercise the fallback).
   */
  config: Pick<Readonly<Config>, "mongodbUri" | "mongomsSystemBinary" | "embeddedDatabase">;
}

const MAX_REASON_LENGTH = 300;

/**
 * Starts (or picks) the MongoDB-compatible database, SPEC §8: the first of
 * `MONGODB_URI`, mongodb-memory-server, mongo-java-server (H2), FerretDB that works,
 * logging one line that says which was chosen and why the earlier ones were not.
 * A data directory another process holds stops the chain (see {@link DataDirInUse}).
 */
export async function startDatabase(options: StartDatabaseOptions): Promise<StartedDatabase> {
  const { mongodbUri, mongomsSystemBinary, embeddedDatabase } = options.config;
  const forced = embeddedDatabase === "auto" ? undefined : embeddedDatabase;
  const backendOptions: BackendOptions = {
    dataDir: options.dataDir === undefined ? undefined : path.resolve(options.dataDir),
    log: options.log,
  };
  const starters: Record<DatabaseKind, () => Promise<StartedDatabase>> = {
    external: () => useExternalDatabase(mongodbUri),
    "mongodb-memory-server": () =>
      startMemoryServer({ ...backendOptions, systemBinary: mongomsSystemBinary }),
    "mongo-java-server": async () => {
      if (forced === undefined) refuseBesideFerretdbData(backendOptions.dataDir);
      return startMongoJavaServer(backendOptions);
    },
    ferretdb: () => startFerretdb(backendOptions),
  };

  const skipped: string[] = [];
  for (const kind of forced === undefined ? DATABASE_KINDS : [forced]) {
    try {
      const database = await starters[kind]();
      const why = forced !== undefined ? `forced by ROSTER_DB=${forced}` : describeSkipped(skipped);
      options.log(`database: ${kind} — ${database.detail} (${why})`);
      return database;
    } catch (err) {
      if (err instanceof DataDirInUse) throw new Error(`${kind}: ${err.message}`);
      skipped.push(`${kind}: ${describeError(err)}`);
    }
  }
  const tried = forced === undefined ? "no database could be started" : `ROSTER_DB=${forced} could not be started`;
  throw new Error(`${tried}: ${skipped.join("; ")}`);
}

function describeSkipped(skipped: string[]): string {
  return skipped.length === 0 ? "first choice" : `skipped ${skipped.join("; ")}`;
}

function describeError(err: unknown): string {
  const message = err instanceof DatabaseUnavailable ? err.message : `failed: ${err instanceof Error ? err.message : String(err)}`;
  const oneLine = message.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH)}…` : oneLine;
}

/**
 * Data an earlier Roster kept in FerretDB (the embedded default before
 * mongo-java-server) is not left behind for an empty H2 database: the chain
 * skips mongo-java-server, so FerretDB keeps serving it.
 */
function refuseBesideFerretdbData(dataDir: string | undefined): void {
  if (dataDir === undefined || fs.existsSync(mongoJavaServerDataDir(dataDir))) return;
  const ferretdb = ferretdbDataDir(dataDir);
  if (fs.existsSync(ferretdb) && fs.readdirSync(ferretdb).length > 0) {
    throw new DatabaseUnavailable(
      `${ferretdb} holds FerretDB data and ${mongoJavaServerDataDir(dataDir)} does not exist, so FerretDB keeps serving it ` +
        "(ROSTER_DB=mongo-java-server starts an empty H2 database instead)",
    );
  }
}
