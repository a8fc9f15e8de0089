/**
 * Several Roster processes (children) on one database, for the two-process tests and
 * `npm run oracle -- --processes N`. Only on a database where the README says several processes
 * may serve writes: FerretDB 1.24 does not apply a filtered update atomically across connections
 * (src/store/document-lock.ts serializes conditional writes within one process only), so there
 * the caller gets a reason instead of processes. No mocha hooks.
 */
import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { loadConfig } from "../../src/config/load-config";
import { startDatabase, type DatabaseKind, type StartedDatabase } from "../../src/store/database/start-database";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { adminRequest, tenantAt, type TestTenant } from "../support/test-server";

export interface SharedDatabase {
  uri: string;
  name: string;
  /** what it is, for a report */
  detail: string;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set (a real MongoDB, refused if it is a FerretDB), else a mongo-java-server of
 * our own (its conditional updates are atomic across connections). A string says why not.
 */
export async function databaseForSeveralProcesses(log: (line: string) => void = () => undefined): Promise<SharedDatabase | string> {
  const uri = process.env.MONGODB_URI;
  const name = `roster_multi_${randomUUID().slice(0, 8)}`;
  if (uri) {
    if (await isFerretdb(uri)) return "MONGODB_URI is a FerretDB, whose filtered updates are not atomic across processes (README, Several processes)";
    return { uri, name, detail: "MONGODB_URI", stop: async () => undefined };
  }
  let database: StartedDatabase;
  try {
    database = await startDatabase({ log, config: { mongodbUri: undefined, mongomsSystemBinary: undefined, embeddedDatabase: "mongo-java-server" satisfies DatabaseKind } });
  } catch (error) {
    return `mongo-java-server could not start (${error instanceof Error ? error.message : String(error)}), and FerretDB's filtered updates are not atomic across processes`;
  }
  return { uri: database.uri, name, detail: database.detail, stop: () => database.stop() };
}

/** Whether the server at `uri` is a FerretDB (its buildInfo says so). */
export async function isFerretdb(uri: string): Promise<boolean> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const info = await connection.db!.admin().command({ buildInfo: 1 });
    return "ferretdbVersion" in info || "ferretdb" in info;
  } finally {
    await connection.close();
  }
}

export interface RosterProcesses {
  children: RosterChild[];
  /** a new tenant with one token, addressed through each process in turn */
  newTenant(): Promise<TestTenant[]>;
  stop(): Promise<void>;
}

/** `count` Roster children on the database; tenants are created through the admin API of the first. */
export async function startRosterProcesses(database: SharedDatabase, count: number): Promise<RosterProcesses> {
  const children: RosterChild[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
  };
  try {
    for (let n = 0; n < count; n++) children.push(await startRosterChild({ LOG_LEVEL: "warn" }, database));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    children,
    stop,
    async newTenant() {
      const id = `multi-${randomUUID().slice(0, 8)}`;
      const [first] = children;
      const tenant = await adminRequest(`${first.url}/admin/v1/tenants`, "POST", { id });
      if (tenant.status !== 201) throw new Error(`tenant create: ${tenant.status} ${JSON.stringify(tenant.body)}`);
      const issued = await adminRequest(`${first.url}/admin/v1/tenants/${id}/tokens`, "POST", { label: "multi" });
      if (issued.status !== 201) throw new Error(`token issue: ${issued.status} ${JSON.stringify(issued.body)}`);
      return children.map((child) => tenantAt(child.url, id, issued.body.token));
    },
  };
}
