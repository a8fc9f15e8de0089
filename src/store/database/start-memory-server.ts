import fs from "node:fs";
import path from "node:path";
import { MongoMemoryServer } from "mongodb-memory-server";
import { findMongodBinary } from "./find-mongod-binary";
import { BackendOptions, StartedDatabase } from "./started-database";

/** a first download of mongod (~70 MB) on a slow link, plus the start itself */
const START_TIMEOUT_MS = 5 * 60_000;

/**
 * SPEC §8: a real `mongod` through mongodb-memory-server. With a `dataDir`,
 * wiredTiger files live in `<dataDir>/mongod` and survive restarts; without
 * one, mongodb-memory-server uses a temporary directory it removes on stop.
 */
export async function startMemoryServer(
  options: BackendOptions & { systemBinary?: string },
): Promise<StartedDatabase> {
  const source = await findMongodBinary(options.systemBinary);
  if (source.kind === "download") {
    options.log("no mongod cached: mongodb-memory-server downloads one (first run only)…");
  }
  const dbPath = options.dataDir === undefined ? undefined : path.join(options.dataDir, "mongod");
  if (dbPath !== undefined) await fs.promises.mkdir(dbPath, { recursive: true });

  const starting = MongoMemoryServer.create({
    binary: source.kind === "download" ? {} : { systemBinary: source.path },
    instance: {
      ip: "127.0.0.1",
      ...(dbPath === undefined ? {} : { dbPath, storageEngine: "wiredTiger" as const }),
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const server = await Promise.race([
    starting,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // should it start after all, do not leave it running
        starting.then((late) => late.stop(), () => undefined);
        reject(new Error(`mongodb-memory-server did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));

  const uri = server.getUri();
  return {
    uri,
    kind: "mongodb-memory-server",
    persistent: dbPath !== undefined,
    detail: `mongod ${source.kind === "download" ? "(downloaded) " : `${source.path} `}on ${uri.replace(/^mongodb:\/\//, "")}, data in ${dbPath ?? "a temporary directory"}`,
    // doCleanup removes only the temporary directory, never a given dbPath
    stop: async () => {
      await server.stop({ doCleanup: true, force: false });
    },
  };
}
