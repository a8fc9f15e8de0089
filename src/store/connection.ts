import mongoose, { type mongo } from "mongoose";
import { observeDatabaseCommand } from "../metrics/database-metrics";

/**
 * Connects the process's models to the database (one connection per process), with the
 * driver's command monitoring on: every command's latency goes to /metrics by command name.
 */
export async function connectDatabase(uri: string, databaseName: string): Promise<void> {
  await mongoose.connect(uri, { dbName: databaseName, serverSelectionTimeoutMS: 15_000, monitorCommands: true });
  const client = mongoose.connection.getClient();
  client.on("commandSucceeded", function countCommand(event: mongo.CommandSucceededEvent) {
    observeDatabaseCommand(event.commandName, true, event.duration);
  });
  client.on("commandFailed", function countFailedCommand(event: mongo.CommandFailedEvent) {
    observeDatabaseCommand(event.commandName, false, event.duration);
  });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the database answers a ping (GET /healthz, GET /readyz). */
export async function pingDatabase(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
