import fs from "node:fs";
import path from "node:path";
import { DatabaseUnavailable } from "./database-unavailable";
import { ensureCachedBuild } from "./ensure-cached-build";
import { findToolDir } from "./find-tool-dir";
import { rosterCacheDir } from "./roster-cache-dir";
import { runCommand } from "./run-command";

/** keep in sync with tools/mongo-java-server-launcher/pom.xml */
export const MONGO_JAVA_SERVER_VERSION = "1.47.0";

const BUILD_TIMEOUT_MS = 10 * 60_000;
const JAR_NAME = "mongo-java-server-launcher-all.jar";

/** Path of the cached mongo-java-server launcher jar (tools/mongo-java-server-launcher). */
function mongoJavaServerLauncherPath(): string {
  return path.join(rosterCacheDir(), `mongo-java-server-launcher-${MONGO_JAVA_SERVER_VERSION}`, JAR_NAME);
}

/**
 * Returns the cached launcher jar, building it with Maven (dependencies from
 * Maven Central) when missing. The build directory is a temporary folder next
 * to the cache, so the repository gets no `target/`.
 */
export async function ensureMongoJavaServerLauncher(log: (msg: string) => void): Promise<string> {
  const target = mongoJavaServerLauncherPath();
  if (fs.existsSync(target)) return target;
  const sourceDir = findToolDir("mongo-java-server-launcher");
  if (sourceDir === undefined) {
    throw new DatabaseUnavailable(`no cached launcher at ${target} and no tools/mongo-java-server-launcher sources to build it`);
  }
  log(`building the mongo-java-server ${MONGO_JAVA_SERVER_VERSION} launcher into ${target} with Maven (first run only)…`);
  const started = Date.now();
  await ensureCachedBuild(target, async (temporaryPath) => {
    const buildDir = `${temporaryPath}.d`;
    try {
      await runCommand(
        "mvn",
        ["-q", "-B", "-Dstyle.color=never", "-f", path.join(sourceDir, "pom.xml"), "package", `-DlauncherBuildDir=${buildDir}`],
        { cwd: sourceDir, timeoutMs: BUILD_TIMEOUT_MS },
      );
      await fs.promises.rename(path.join(buildDir, JAR_NAME), temporaryPath);
    } finally {
      await fs.promises.rm(buildDir, { recursive: true, force: true });
    }
  });
  log(`built the mongo-java-server launcher in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}
