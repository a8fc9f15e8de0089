/**
 * Mocha root hooks (loaded by .mocharc.json): one database for the whole run,
 * chosen by the SPEC §8 chain with throwaway data, and mongoose connected to
 * it as database `roster_test`. Tests that need their own connection use
 * {@link testDatabaseUri}.
 */
import type { Context, RootHookObject } from "mocha";
import mongoose from "mongoose";
import { loadConfig } from "../../src/config/load-config";
import { DatabaseKind, startDatabase, StartedDatabase } from "../../src/store/database/start-database";

export const TEST_DB_NAME = "roster_test";

let database: StartedDatabase | undefined;

/** Connection string of the run's database (no database name). */
export function testDatabaseUri(): string {
  if (database === undefined) throw new Error("the test database is not started (root hooks not loaded?)");
  return database.uri;
}

/** Which kind of server the run's database is, e.g. to skip what FerretDB cannot do. */
export function testDatabaseKind(): DatabaseKind {
  if (database === undefined) throw new Error("the test database is not started (root hooks not loaded?)");
  return database.kind;
}

function logToStderr(msg: string): void {
  process.stderr.write(`[test] ${msg}\n`);
}

export const mochaHooks: RootHookObject = {
  async beforeAll(this: Context) {
    // the first run on a machine may build a launcher (mongo-java-server with Maven ~20 s, FerretDB with Go ~1–2 minutes)
    this.timeout(300_000);
    database = await startDatabase({
      log: logToStderr,
      config: loadConfig({ MONGODB_URI: process.env.MONGODB_URI, MONGOMS_SYSTEM_BINARY: process.env.MONGOMS_SYSTEM_BINARY, ROSTER_DB: process.env.ROSTER_DB }),
    });
    // command monitoring on, as the server connects in production (/metrics, and the operation-count tests)
    await mongoose.connect(database.uri, { dbName: TEST_DB_NAME, serverSelectionTimeoutMS: 10_000, monitorCommands: true });
  },

  async afterAll(this: Context) {
    this.timeout(30_000);
    await mongoose.disconnect();
    const stopping = database;
    database = undefined;
    await stopping?.stop();
  },
};
