import path from "node:path";

/** scripts/build-console.js from a compiled test (dist/test/console/): bundles dist/console/ when it is missing or stale. */
export function ensureConsoleBuilt(): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const build = require(path.join(__dirname, "..", "..", "..", "scripts", "build-console.js")) as { ensureConsoleBuilt: () => void };
  build.ensureConsoleBuilt();
}
