import mongoose from "mongoose";

/** Connects the process's models to the database (one connection per process). */
export async function connectDatabase(uri: string, databaseName: string): Promise<void> {
  await mongoose.connect(uri, { dbName: databaseName, serverSelectionTimeoutMS: 15_000 });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the database answers a ping (GET /healthz). */
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
