#!/usr/bin/env node
// `npx roster …` / `npm run roster -- …` (SPEC §2): compiles when dist/ is missing
// or older than src/ (like `npm start`), then runs the CLI in dist/src/cli/main.js.
// This file is the process boundary: it hands argv and the environment to the CLI.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "dist", "src", "cli", "main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    const mtime = dirent.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function newestOf(dirs) {
  return Math.max(0, ...dirs.filter((dir) => fs.existsSync(dir)).map(newestMtime));
}

// tsc re-emits only what changed, so compare the newest source with the newest output
function needsBuild() {
  if (!fs.existsSync(entry)) return true;
  if (!fs.existsSync(path.join(root, "src"))) return false;
  const sources = newestOf([path.join(root, "src"), path.join(root, "schemas")]);
  return sources > newestOf([path.join(root, "dist", "src"), path.join(root, "dist", "schemas")]);
}

if (needsBuild()) {
  process.stderr.write("roster: compiling TypeScript (tsc -p tsconfig.json)…\n");
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  if (!fs.existsSync(entry)) fs.rmSync(path.join(root, "dist", ".tsbuildinfo"), { force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0 || !fs.existsSync(entry)) {
    process.stderr.write(`roster: the TypeScript build failed (${result.error ? result.error.message : `exit code ${result.status}`})\n`);
    process.exit(result.status || 1);
  }
  // an unchanged output keeps its old mtime; touch the entry so the next run skips the build
  const now = new Date();
  fs.utimesSync(entry, now, now);
}

require(entry)
  .main(process.argv.slice(2), process.env)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`roster: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
