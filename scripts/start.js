#!/usr/bin/env node
// `npm start` (SPEC §2): compile when dist/ is stale, then run the server. The
// server itself picks and logs the database (SPEC §8).
"use strict";

const { ensureBuilt } = require("./ensure-built");

require(ensureBuilt("dist/src/main.js"));
