// Shared by `npm start` (scripts/start.js) and the CLI (bin/roster.js): compile
// with the local TypeScript when dist/ is missing or older than src/ or schemas/, and bundle
// the admin console when dist/console/ is older than console/.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { ensureConsoleBuilt, newestMtime } = require("./build-console");

const root = path.resolve(__dirname, "..");


function newestOf(dirs) {
  return Math.max(0, ...dirs.filter((dir) => fs.existsSync(dir)).map(newestMtime));
}

// tsc re-emits only what changed, so compare the newest source with the newest output
function needsBuild(entry) {
  if (!fs.existsSync(entry)) return true;
  if (!fs.existsSync(path.join(root, "src"))) return false;
  const sources = Math.max(newestOf([path.join(root, "src"), path.join(root, "schemas")]), fs.statSync(path.join(root, "tsconfig.json")).mtimeMs);
  return sources > newestOf([path.join(root, "dist", "src"), path.join(root, "dist", "schemas")]);
}

/** Builds if needed and returns the absolute path of `relativeEntry` (e.g. "dist/src/main.js"). */
function ensureBuilt(relativeEntry) {
  const entry = path.join(root, relativeEntry);
  ensureConsoleBuilt();
  if (!needsBuild(entry)) return entry;
  process.stderr.write("roster: compiling TypeScript (tsc -p tsconfig.json)…\n");
  // the local compiler, run by this Node: no npx look-up, works offline
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  // an incremental build trusts dist/.tsbuildinfo and does not re-emit deleted outputs
  if (!fs.existsSync(entry)) fs.rmSync(path.join(root, "dist", ".tsbuildinfo"), { force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0 || !fs.existsSync(entry)) {
    process.stderr.write(`roster: the TypeScript build failed (${result.error ? result.error.message : `exit code ${result.status}`})\n`);
    process.exit(result.status || 1);
  }
  // an unchanged output keeps its old mtime; touch the entry so the next run skips the build
  const now = new Date();
  fs.utimesSync(entry, now, now);
  return entry;
}

module.exports = { ensureBuilt };
