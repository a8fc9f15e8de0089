// Bundles the admin console (console/) into dist/console/ with esbuild: one script, one
// stylesheet and the page, all served by Roster itself (no CDN, works offline). Run by
// `npm run build` and, through ensure-built.js, by `npm start` and the CLI.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const source = path.join(root, "console");
const output = path.join(root, "dist", "console");
const STATIC_FILES = ["index.html", "app.css"];

function newestMtime(dir) {
  let newest = 0;
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, dirent.name);
    const mtime = dirent.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function consoleNeedsBuild() {
  if (!fs.existsSync(source)) return false;
  const built = path.join(output, "app.js");
  if (!fs.existsSync(built) || STATIC_FILES.some((file) => !fs.existsSync(path.join(output, file)))) return true;
  return newestMtime(source) > fs.statSync(built).mtimeMs;
}

function buildConsole() {
  const esbuild = require("esbuild");
  fs.mkdirSync(output, { recursive: true });
  esbuild.buildSync({
    entryPoints: [path.join(source, "src", "main.tsx")],
    outfile: path.join(output, "app.js"),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of STATIC_FILES) fs.copyFileSync(path.join(source, file), path.join(output, file));
}

/**
 * Builds dist/console/ when it is missing or older than console/, in a child process: esbuild's
 * in-process API keeps a worker and its service alive, which would keep a CLI run or a test from exiting.
 */
function ensureConsoleBuilt() {
  if (!consoleNeedsBuild()) return;
  process.stderr.write("roster: bundling the admin console (esbuild)…\n");
  const result = spawnSync(process.execPath, [__filename], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0) {
    process.stderr.write(`roster: bundling the admin console failed (${result.error ? result.error.message : `exit code ${result.status}`})\n`);
    process.exit(result.status || 1);
  }
}

module.exports = { buildConsole, ensureConsoleBuilt, newestMtime };

if (require.main === module) buildConsole();
