import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureFerretdbLauncher, FERRETDB_VERSION } from "./ensure-ferretdb-launcher";
import { findFreePort } from "./find-free-port";
import { spawnServer } from "./spawn-server";
import { BackendOptions, StartedDatabase } from "./started-database";

const READY_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

/** Where the SQLite data of a persistent `dataDir` lives. */
export function ferretdbDataDir(dataDir: string): string {
  return path.join(dataDir, "ferretdb");
}

/**
 * SPEC §8 second offline stand-in, after mongo-java-server: FerretDB 1.24 with
 * its SQLite backend, data in `<dataDir>/ferretdb` (kept across restarts) or in
 * a temporary directory removed by `stop()`. Its filtered updates are not
 * atomic (see document-lock.ts) and it scans every collection.
 */
export async function startFerretdb(options: BackendOptions): Promise<StartedDatabase> {
  const launcher = await ensureFerretdbLauncher(options.log);
  const throwaway = options.dataDir === undefined;
  const sqliteDir =
    options.dataDir === undefined
      ? await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-ferretdb-"))
      : ferretdbDataDir(options.dataDir);
  await fs.promises.mkdir(sqliteDir, { recursive: true });
  const removeThrowaway = async (): Promise<void> => {
    if (throwaway) await fs.promises.rm(sqliteDir, { recursive: true, force: true });
  };

  for (let attempt = 1; ; attempt++) {
    // The port is free when the OS hands it out but could be taken before
    // FerretDB binds it; another port fixes that rare race.
    const port = await findFreePort();
    try {
      const server = await spawnServer({
        name: "FerretDB",
        command: launcher,
        args: [`--listen-addr=127.0.0.1:${port}`, `--sqlite-dir=${sqliteDir}`, "--exit-on-stdin-eof"],
        readyPattern: /ferretdb listening on /,
        host: "127.0.0.1",
        port,
        readyTimeoutMs: READY_TIMEOUT_MS,
      });
      return {
        uri: `mongodb://127.0.0.1:${port}/`,
        kind: "ferretdb",
        persistent: !throwaway,
        detail: `FerretDB ${FERRETDB_VERSION} (SQLite) on 127.0.0.1:${port}, data in ${sqliteDir}${throwaway ? " (temporary)" : ""}`,
        stop: async () => {
          await server.stop();
          await removeThrowaway();
        },
      };
    } catch (err) {
      const portTaken = err instanceof Error && /address already in use/i.test(err.message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) {
        await removeThrowaway();
        throw err;
      }
    }
  }
}
