import type { DatabaseChoice } from "../../config/load-config";

/** Which kind of MongoDB-compatible server a {@link StartedDatabase} is (SPEC §8): a `ROSTER_DB` choice other than `auto`. */
export type DatabaseKind = Exclude<DatabaseChoice, "auto">;

/** Every kind, in the order the chain tries them (SPEC §8). */
export const DATABASE_KINDS: readonly DatabaseKind[] = [
  "external",
  "mongodb-memory-server",
  "mongo-java-server",
  "ferretdb",
];

/** A database the process can connect to, and how to let it go. */
export interface StartedDatabase {
  /** connection string without a database name, e.g. `mongodb://127.0.0.1:40123/` */
  uri: string;
  kind: DatabaseKind;
  /** whether data survives `stop()` and a new start on the same `dataDir` */
  persistent: boolean;
  /** one human-readable phrase: what runs and where its data lives */
  detail: string;
  /** stops a server this process started (and removes its throwaway data); no-op for `external` */
  stop(): Promise<void>;
}

/** What every backend of the chain receives. */
export interface BackendOptions {
  /** persistent data directory (absolute), or undefined for a throwaway one */
  dataDir?: string;
  log: (msg: string) => void;
}
