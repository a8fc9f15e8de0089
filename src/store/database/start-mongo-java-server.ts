import { ensureMongoJavaServerLauncher, MONGO_JAVA_SERVER_VERSION } from "./ensure-mongo-java-server-launcher";
import { findFreePort } from "./find-free-port";
import { spawnServer } from "./spawn-server";
import { BackendOptions, StartedDatabase } from "./started-database";

const READY_TIMEOUT_MS = 30_000;

/**
 * SPEC §8 last stand-in, used when FerretDB cannot be built or started:
 * mongo-java-server with its in-memory backend. It cannot persist, so a
 * `dataDir` is ignored, loudly.
 */
export async function startMongoJavaServer(options: BackendOptions): Promise<StartedDatabase> {
  const jar = await ensureMongoJavaServerLauncher(options.log);
  const port = await findFreePort();
  const server = await spawnServer({
    name: "mongo-java-server",
    command: "java",
    args: ["-jar", jar, `--listen-addr=127.0.0.1:${port}`, "--exit-on-stdin-eof"],
    readyPattern: /mongo-java-server listening on /,
    host: "127.0.0.1",
    port,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  if (options.dataDir !== undefined) {
    options.log(
      `WARNING: mongo-java-server keeps everything in memory: NOTHING is saved in ${options.dataDir}, ` +
        "and stopping the server loses all data. Set MONGODB_URI or make FerretDB work (install Go) to keep data.",
    );
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    kind: "mongo-java-server",
    persistent: false,
    detail: `mongo-java-server ${MONGO_JAVA_SERVER_VERSION} (in memory, nothing persisted) on 127.0.0.1:${port}`,
    stop: () => server.stop(),
  };
}
