#!/usr/bin/env node
// `npm start` (SPEC §2): compile when dist/ is missing or older than src/, then
// run the server. The server itself picks and logs the database (SPEC §8).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "dist", "src", "main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    const mtime = dirent.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function needsBuild() {
  if (!fs.existsSync(entry)) return true;
  const sources = [path.join(root, "src"), path.join(root, "tsconfig.json")];
  const newestSource = Math.max(...sources.map((p) => (fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs)));
  return newestSource > fs.statSync(entry).mtimeMs;
}

if (needsBuild()) {
  console.error("roster: compiling TypeScript (tsc -p tsconfig.json)…");
  // the local compiler, run by this Node: no npx look-up, works offline
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  // an incremental build trusts dist/.tsbuildinfo and does not re-emit deleted outputs
  if (!fs.existsSync(entry)) fs.rmSync(path.join(root, "dist", ".tsbuildinfo"), { force: true });
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    console.error(`roster: the TypeScript build failed (${result.error ? result.error.message : `exit code ${result.status}`})`);
    process.exit(result.status || 1);
  }
  if (!fs.existsSync(entry)) {
    console.error(`roster: the build did not produce ${path.relative(root, entry)}`);
    process.exit(1);
  }
  // tsc leaves an unchanged output file's mtime alone; touch it so the next start skips the build
  const now = new Date();
  fs.utimesSync(entry, now, now);
}

require(entry);
