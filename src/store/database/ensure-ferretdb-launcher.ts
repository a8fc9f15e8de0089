import fs from "node:fs";
import path from "node:path";
import { DatabaseUnavailable } from "./database-unavailable";
import { ensureCachedBuild } from "./ensure-cached-build";
import { findToolDir } from "./find-tool-dir";
import { rosterCacheDir } from "./roster-cache-dir";
import { runCommand } from "./run-command";

export const FERRETDB_VERSION = "1.24.2";

const BUILD_TIMEOUT_MS = 10 * 60_000;
/** where Go's official tarball installs itself, for machines where it is not on PATH */
const FALLBACK_GO = "/usr/local/go/bin/go";

/** Path of the cached FerretDB launcher binary (tools/ferretdb-launcher). */
function ferretdbLauncherPath(): string {
  return path.join(rosterCacheDir(), `ferretdb-launcher-v${FERRETDB_VERSION}`, "ferretdb-launcher");
}

/**
 * Returns the cached FerretDB launcher, building it with `go build` when it is
 * missing (SPEC §8). Module downloads go through the Go module proxy, so this
 * works on machines that reach package registries only.
 */
export async function ensureFerretdbLauncher(log: (msg: string) => void): Promise<string> {
  const target = ferretdbLauncherPath();
  if (fs.existsSync(target)) return target;
  const sourceDir = findToolDir("ferretdb-launcher");
  if (sourceDir === undefined) {
    throw new DatabaseUnavailable(`no cached launcher at ${target} and no tools/ferretdb-launcher sources to build it`);
  }
  log(`building the FerretDB ${FERRETDB_VERSION} launcher into ${target} (first run only: about 1–2 minutes)…`);
  const started = Date.now();
  await ensureCachedBuild(target, async (temporaryPath) => {
    // -mod=mod: go.sum is complete, but let go fix it up rather than fail;
    // flags on the command line override a GOFLAGS from the environment.
    const args = ["build", "-mod=mod", "-buildvcs=false", "-o", temporaryPath, "."];
    try {
      await runCommand("go", args, { cwd: sourceDir, timeoutMs: BUILD_TIMEOUT_MS });
    } catch (err) {
      if (!(err instanceof DatabaseUnavailable) || !fs.existsSync(FALLBACK_GO)) throw err;
      await runCommand(FALLBACK_GO, args, { cwd: sourceDir, timeoutMs: BUILD_TIMEOUT_MS });
    }
  });
  log(`built the FerretDB launcher in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}
