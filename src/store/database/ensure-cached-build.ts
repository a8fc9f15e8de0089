import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Returns `target`, building it first if it is missing. `build` writes to a
 * private temporary path in the same directory, which is then renamed over
 * `target`: a rename is atomic, so two processes building at once both end
 * with a whole file and a reader never sees a half-written one.
 */
export async function ensureCachedBuild(
  target: string,
  build: (temporaryPath: string) => Promise<void>,
): Promise<string> {
  if (fs.existsSync(target)) return target;
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temporaryPath = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${crypto.randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await build(temporaryPath);
    await fs.promises.rename(temporaryPath, target);
  } finally {
    await fs.promises.rm(temporaryPath, { recursive: true, force: true });
  }
  return target;
}
