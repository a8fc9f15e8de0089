import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataDirInUse } from "./data-dir-in-use";
import { ensureMongoJavaServerLauncher, MONGO_JAVA_SERVER_VERSION } from "./ensure-mongo-java-server-launcher";
import { findFreePort } from "./find-free-port";
import { spawnServer } from "./spawn-server";
import { BackendOptions, StartedDatabase } from "./started-database";

const READY_TIMEOUT_MS = 60_000;
const DATA_FILE = "roster.mv.db";
/**
 * MVStore page cache (an upper bound, not an allocation). Every query no index
 * answers reads the whole collection, so a cache smaller than the data file
 * turns each such scan into file reads. 100,000 users take about 600 MB on disk and
 * the server about 1.5 GB of memory with this cache (bench/embedded-db.ts).
 */
const CACHE_MB = 512;

/** Where the H2 data of a persistent `dataDir` lives. */
export function mongoJavaServerDataDir(dataDir: string): string {
  return path.join(dataDir, "mongo-java-server");
}

/**
 * SPEC §8 offline stand-in: mongo-java-server with its H2 (MVStore) backend,
 * every write committed to `<dataDir>/mongo-java-server/roster.mv.db` before it
 * is acknowledged (tools/mongo-java-server-launcher), so a kill -9 loses no
 * acknowledged write. Without a `dataDir` the same backend runs on a file in a
 * temporary directory that `stop()` removes: tests exercise what production
 * runs (H2's serialization, its unique indexes, the per-write commit), at a cost
 * of well under a millisecond per write.
 */
export async function startMongoJavaServer(options: BackendOptions): Promise<StartedDatabase> {
  const jar = await ensureMongoJavaServerLauncher(options.log);
  const throwaway = options.dataDir === undefined;
  const dir =
    options.dataDir === undefined
      ? await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-mongo-java-server-"))
      : mongoJavaServerDataDir(options.dataDir);
  const removeThrowaway = async (): Promise<void> => {
    if (throwaway) await fs.promises.rm(dir, { recursive: true, force: true });
  };
  try {
    await fs.promises.mkdir(dir, { recursive: true });
    const dataFile = path.join(dir, DATA_FILE);
    const port = await findFreePort();
    const server = await spawnServer({
      name: "mongo-java-server",
      command: "java",
      args: [
        "-jar",
        jar,
        `--listen-addr=127.0.0.1:${port}`,
        "--backend=h2",
        `--data-file=${dataFile}`,
        "--durability=commit",
        `--cache-mb=${CACHE_MB}`,
        "--exit-on-stdin-eof",
      ],
      readyPattern: /mongo-java-server listening on /,
      host: "127.0.0.1",
      port,
      readyTimeoutMs: READY_TIMEOUT_MS,
    }).catch((err: unknown) => {
      // MVStore locks its file: a second Roster on the same dataDir must not fall through to another database
      if (err instanceof Error && /file is locked/i.test(err.message)) {
        throw new DataDirInUse(`${dataFile} is in use by another mongo-java-server (another Roster on the same data directory?)`);
      }
      throw err;
    });
    return {
      uri: `mongodb://127.0.0.1:${port}/`,
      kind: "mongo-java-server",
      persistent: !throwaway,
      detail:
        `mongo-java-server ${MONGO_JAVA_SERVER_VERSION} (H2 MVStore, each write committed before it is acknowledged) ` +
        `on 127.0.0.1:${port}, data in ${dataFile}${throwaway ? " (temporary)" : ""}`,
      stop: async () => {
        await server.stop();
        await removeThrowaway();
      },
    };
  } catch (err) {
    await removeThrowaway();
    throw err;
  }
}
