import fs from "node:fs";
import path from "node:path";

/**
 * Finds `tools/<name>` of the repository by walking up from this module, which
 * runs from `dist/src/store/database/` after a build (or `src/...` under a TS
 * runner); returns undefined when the sources are not shipped.
 */
export function findToolDir(name: string): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "tools", name);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
