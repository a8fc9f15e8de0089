#!/usr/bin/env node
// `npx roster …` / `npm run roster -- …` (SPEC §2): compiles when dist/ is stale
// (like `npm start`), then runs the CLI in dist/src/cli/main.js.
// This file is the process boundary: it hands argv and the environment to the CLI.
"use strict";

const { ensureBuilt } = require("../scripts/ensure-built");

require(ensureBuilt("dist/src/cli/main.js"))
  .main(process.argv.slice(2), process.env)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`roster: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
