import crypto from "node:crypto";
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
const REVISION_LENGTH = 12;

/**
 * A digest of the launcher's sources (pom.xml and src/): part of the cached jar's
 * path, so a change to the launcher builds a new jar instead of reusing one cached
 * under the same mongo-java-server version that lacks the change (e.g. the H2 flags).
 */
function launcherRevision(sourceDir: string): string {
  const hash = crypto.createHash("sha256");
  const files = (fs.readdirSync(sourceDir, { recursive: true }) as string[])
    .filter((file) => (file === "pom.xml" || file.startsWith(`src${path.sep}`)) && fs.statSync(path.join(sourceDir, file)).isFile())
    .sort();
  for (const file of files) {
    hash.update(`${file.split(path.sep).join("/")}\0`);
    hash.update(fs.readFileSync(path.join(sourceDir, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, REVISION_LENGTH);
}

/**
 * Returns the cached launcher jar (tools/mongo-java-server-launcher) of these
 * sources, building it with Maven (dependencies from Maven Central) when
 * missing. The build directory is a temporary folder next to the cache, so the
 * repository gets no `target/`.
 */
export async function ensureMongoJavaServerLauncher(log: (msg: string) => void): Promise<string> {
  const sourceDir = findToolDir("mongo-java-server-launcher");
  if (sourceDir === undefined) {
    throw new DatabaseUnavailable("no tools/mongo-java-server-launcher sources to build or identify the launcher");
  }
  const revision = launcherRevision(sourceDir);
  const target = path.join(rosterCacheDir(), `mongo-java-server-launcher-${MONGO_JAVA_SERVER_VERSION}-${revision}`, JAR_NAME);
  if (fs.existsSync(target)) return target;
  log(`building the mongo-java-server ${MONGO_JAVA_SERVER_VERSION} launcher (revision ${revision}) into ${target} with Maven (first run only)…`);
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
