import path from "node:path";
import type { Config } from "../../config/load-config";
import { DatabaseUnavailable } from "./database-unavailable";
import { startFerretdb } from "./start-ferretdb";
import { startMemoryServer } from "./start-memory-server";
import { startMongoJavaServer } from "./start-mongo-java-server";
import { BackendOptions, DATABASE_KINDS, DatabaseKind, StartedDatabase } from "./started-database";
import { useExternalDatabase } from "./use-external-database";

export type { DatabaseKind, StartedDatabase } from "./started-database";

export interface StartDatabaseOptions {
  /** persistent data directory (e.g. `./.roster`); undefined = throwaway data */
  dataDir?: string;
  log: (msg: string) => void;
  /**
   * The database settings, parsed once by `loadConfig` (`MONGODB_URI`, `MONGOMS_SYSTEM_BINARY`,
   * and `ROSTER_DB`, which forces one kind of the chain, e.g. `mongo-java-server` to exercise the fallback).
   */
  config: Pick<Readonly<Config>, "mongodbUri" | "mongomsSystemBinary" | "embeddedDatabase">;
}

const MAX_REASON_LENGTH = 300;

/**
 * Starts (or picks) the MongoDB-compatible database, SPEC §8: the first of
 * `MONGODB_URI`, mongodb-memory-server, FerretDB, mongo-java-server that works,
 * logging one line that says which was chosen and why the earlier ones were not.
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
    ferretdb: () => startFerretdb(backendOptions),
    "mongo-java-server": () => startMongoJavaServer(backendOptions),
  };

  const skipped: string[] = [];
  for (const kind of forced === undefined ? DATABASE_KINDS : [forced]) {
    try {
      const database = await starters[kind]();
      const why = forced !== undefined ? `forced by ROSTER_DB=${forced}` : describeSkipped(skipped);
      options.log(`database: ${kind} — ${database.detail} (${why})`);
      return database;
    } catch (err) {
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
