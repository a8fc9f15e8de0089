import os from "node:os";
import path from "node:path";

/**
 * Where built launchers are cached: outside the repository, so a fresh clone
 * (and CI re-running in a new checkout) reuses them.
 */
export function rosterCacheDir(): string {
  return path.join(os.homedir(), ".cache", "roster");
}
