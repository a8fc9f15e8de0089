import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { loadConfig } from "../src/config/load-config";
import { startDatabase } from "../src/store/database/start-database";
import { ensureIndexes } from "../src/store/models";
import { deleteTenantCascade } from "../src/store/tenant-store";
import { breakDown, explainFind, snapshotAtSize, timeHttpSequential, type SizeSnapshot } from "./diagnose";
import { floorQuery, lookupValue, measureFloor, type LookupKind, type Measured } from "./floor";
import { awaitIndexFill } from "./await-index-fill";
import { parseOptions } from "./options";
import { cpuSeconds, findDatabasePid, machineCpuSeconds } from "./process-cpu";
import { renderReport, type BenchRun, type ScenarioRun } from "./report";
import { PEER_SCENARIOS, runPeers } from "./peers/run-peers";
import { buildScenarios, probeScenario, requestsFor, runScenario, warmUpScenario, type HttpScenario } from "./scenarios";
import { growUsers, seedTenant } from "./seed";
import { startServerProcess } from "./server-process";
import { countOperations } from "./db-operations";
import { randomBytes } from "node:crypto";

const DATABASE_NAME = "roster_bench";
const LOOKUPS: LookupKind[] = ["userName", "externalId", "email"];
/** the issue's smaller size for the side-by-side comparison (it asks for 5,000 and 100,000 users) */
const PEERS_SMALL_USERS = 5_000;
/** the fill took 13 s at 100,000 users after a restart (README "Database"); past this the run goes on */
const INDEX_FILL_TIMEOUT_MS = 120_000;
/** untimed requests of each read scenario before the timed runs (see warmUpScenario) */
const WARM_UP = { requests: 200, maxMs: 3_000, concurrency: 4 };

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.render) {
    const saved = JSON.parse(fs.readFileSync(options.render, "utf8")) as BenchRun;
    const report = renderReport(saved);
    fs.writeFileSync(path.resolve(options.out), report.markdown);
    process.stdout.write(`${report.summary}\n`);
    log(`re-rendered ${path.resolve(options.out)} from ${options.render}`);
    return;
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const runStarted = Date.now();
  // wall time of each part of the run, so a run that nears its 20 minutes shows where they went
  const phases: Array<[string, number]> = [];
  let phaseStarted = runStarted;
  const phaseDone = (name: string) => {
    const now = Date.now();
    phases.push([name, (now - phaseStarted) / 1000]);
    log(`(${name}: ${((now - phaseStarted) / 1000).toFixed(0)} s; ${((now - runStarted) / 60_000).toFixed(1)} min since the start)`);
    phaseStarted = now;
  };
  const loadAtStart = os.loadavg();
  log(`${command}: ${options.users.toLocaleString("en-US")} users, ${options.connections} connections, ${options.durationSeconds} s per scenario`);

  const database = await startDatabase({
    log: (message) => log(message),
    config: loadConfig({ MONGODB_URI: process.env.MONGODB_URI, MONGOMS_SYSTEM_BINARY: process.env.MONGOMS_SYSTEM_BINARY, ROSTER_DB: options.db }),
  });
  let seededTenant: string | undefined;
  let stopServer: (() => Promise<void>) | undefined;
  // Ctrl-C: the server process and a database this run started go too
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void (async () => {
        await stopServer?.().catch(() => undefined);
        await database.stop().catch(() => undefined);
        process.exit(130);
      })();
    });
  }
  try {
    await mongoose.connect(database.uri, { dbName: DATABASE_NAME, serverSelectionTimeoutMS: 15_000 });
    const buildInfo = (await mongoose.connection.db!.command({ buildInfo: 1 }).catch(() => ({}))) as { version?: string };
    await ensureIndexes();
    const databasePid = findDatabasePid(database.uri);
    phaseDone("database start");

    // --- the peers at 5,000 users too (issue #9 asks for both sizes in one run): a tenant of its
    // own, compared, then deleted, so the rest of the run sees the same database as without it
    let peersSmall: BenchRun["peersSmall"];
    if (options.peers.length && options.users > PEERS_SMALL_USERS) {
      const peersStarted = Date.now();
      log(`peers at ${PEERS_SMALL_USERS.toLocaleString("en-US")} users first: seeding a tenant of that size…`);
      const small = await seedTenant({ users: PEERS_SMALL_USERS, leaders: 1, plainDeactivations: 1, log });
      await awaitIndexFill(INDEX_FILL_TIMEOUT_MS, log);
      const smallServer = await startServerProcess(database.uri, DATABASE_NAME);
      stopServer = () => smallServer.stop();
      try {
        const smallPlan = buildScenarios(small, `s${Date.now().toString(36)}`).filter((scenario) => (PEER_SCENARIOS as readonly string[]).includes(scenario.key));
        for (const scenario of smallPlan) await warmUpScenario(smallServer.url, small.token, scenario, WARM_UP);
        const compared = await runPeers({ names: options.peers, roster: { url: smallServer.url, token: small.token, pid: smallServer.pid, databasePid }, seeded: small, scenarios: smallPlan, connections: options.connections, durationSeconds: options.durationSeconds, log });
        peersSmall = { ...compared, users: small.users, seconds: (Date.now() - peersStarted) / 1000 };
      } finally {
        await smallServer.stop();
        stopServer = undefined;
      }
      await deleteTenantCascade(small.tenant);
      phaseDone(`peers at ${PEERS_SMALL_USERS.toLocaleString("en-US")} users`);
    }

    // --- seed, timing the floor at a tenth of the users on the way (it should scale with size if it scans)
    log("seeding…");
    const sizes: SizeSnapshot[] = [];
    const snapshotBudget = 15_000;
    const seeded = await seedTenant({
      users: options.users,
      leaders: options.leaders,
      plainDeactivations: options.plainDeactivations,
      log,
      onTenth: async (partial) => {
        if (partial.userIds.length >= options.users) return;
        sizes.push(await snapshotAtSize(partial.tenant, partial.userIds.length, partial.lookups, snapshotBudget));
        log(`  database alone at ${describeSnapshot(sizes[sizes.length - 1])}`);
      },
    });
    seededTenant = seeded.tenant;
    log(`seeded ${seeded.users.toLocaleString("en-US")} users, ${seeded.groups.toLocaleString("en-US")} groups, ${seeded.memberships.toLocaleString("en-US")} memberships in ${seeded.seedSeconds.toFixed(1)} s`);
    sizes.push(await snapshotAtSize(seeded.tenant, seeded.users, seeded.lookups, snapshotBudget));
    log(`  database alone at ${describeSnapshot(sizes[sizes.length - 1])}`);

    phaseDone("seed");
    const explains: Record<string, string> = {};
    const sample = seeded.lookups[0];
    for (const kind of LOOKUPS) explains[kind] = await explainFind("users", floorQuery(seeded.tenant, kind, lookupValue(seeded, kind, 0)), { limit: 1 });
    explains.listPage = await explainFind("users", { $and: [{ tenant: seeded.tenant, deletedAt: null }] }, { sort: { _id: 1 }, limit: 100 });
    explains.memberships = await explainFind("memberships", { tenant: seeded.tenant, userId: { $in: [sample.id] } });

    // --- the database's own floor, at the same concurrency and duration as the HTTP lookups
    await awaitIndexFill(INDEX_FILL_TIMEOUT_MS, log);
    const floor: Partial<Record<LookupKind, Measured>> = {};
    for (const kind of LOOKUPS) {
      log(`floor: ${kind} through the driver…`);
      floor[kind] = await measureFloor(seeded, kind, options.connections, options.durationSeconds * 1000, 1000);
      log(`  ${fmt(floor[kind]!.perSecond)} ops/s, p50 ${fmt(floor[kind]!.p50)} ms, p99 ${fmt(floor[kind]!.p99)} ms (${floor[kind]!.completed} ops)`);
    }

    phaseDone("explain and the database's floor");

    // --- the real server, its own process
    const metricsToken = randomBytes(24).toString("hex");
    const server = await startServerProcess(database.uri, DATABASE_NAME, { ROSTER_METRICS_TOKEN: metricsToken });
    stopServer = () => server.stop();
    log(`server: node dist/src/main.js, pid ${server.pid}, ${server.url}`);
    const scenarios: ScenarioRun[] = [];
    let diagnostics: BenchRun["diagnostics"];
    let plan: HttpScenario[] = [];
    let peers: BenchRun["peers"];
    try {
      // warm-up: one request of every scenario alone (its latency also sizes the scenario's run)
      server.setPhase("warm-up");
      for (let run = 0; run < 20; run++) await fetch(`${server.url}/scim/v2/ServiceProviderConfig`, { headers: { authorization: `Bearer ${seeded.token}` } }).then((r) => r.arrayBuffer());
      // the server's start (ensureIndexes) may have begun a fill of its own
      await awaitIndexFill(INDEX_FILL_TIMEOUT_MS, log);
      const runTag = Date.now().toString(36);
      plan = buildScenarios(seeded, runTag);
      const probes = new Map<string, number>();
      for (const scenario of plan) {
        if (scenario.amount !== undefined) continue;
        probes.set(scenario.key, await probeScenario(server.url, seeded.token, scenario, 1_000_000));
      }
      log(`warm-up: one request alone: ${[...probes.entries()].map(([key, value]) => `${key} ${fmt(value)} ms`).join(", ")}`);
      const warmed: string[] = [];
      for (const scenario of plan) {
        if (scenario.method !== "GET") continue;
        warmed.push(`${scenario.key} ${await warmUpScenario(server.url, seeded.token, scenario, WARM_UP)}`);
      }
      log(`warm-up: untimed requests of each read scenario: ${warmed.join(", ")}`);

      for (const scenario of plan) {
        server.setPhase(scenario.key);
        log(`${scenario.label}…`);
        // size the run from one request alone (not for the deactivations: each uses up a prepared user)
        const probeMs = probes.get(scenario.key);
        const amount = probeMs === undefined ? undefined : requestsFor(probeMs, options.durationSeconds, options.connections, os.cpus().length);
        const before = { server: cpuSeconds(server.pid), database: databasePid ? cpuSeconds(databasePid) : undefined, bench: process.cpuUsage(), machine: machineCpuSeconds() };
        const result = await runScenario(server.url, seeded.token, scenario, {
          connections: options.connections,
          durationSeconds: options.durationSeconds,
          timeoutSeconds: options.timeoutSeconds,
          // bounded whatever the database: the whole run at 100,000 users has 20 minutes (issue 9)
          maxSeconds: scenarioGuardSeconds(options.durationSeconds),
          amount,
        });
        const benchCpu = process.cpuUsage(before.bench);
        const machineAfter = machineCpuSeconds();
        const cpu = {
          server: delta(before.server, cpuSeconds(server.pid)),
          database: databasePid ? delta(before.database, cpuSeconds(databasePid)) : undefined,
          bench: (benchCpu.user + benchCpu.system) / 1e6,
          machineBusy: before.machine && machineAfter ? machineAfter.busy - before.machine.busy : undefined,
          machineTotal: before.machine && machineAfter ? machineAfter.total - before.machine.total : undefined,
        };
        scenarios.push({ ...result, cpu, probeMs });
        const bad = Object.entries(result.unexpected).map(([status, count]) => `${count}×${status}`).join(", ");
        log(`  ${result.mode}${result.stoppedByGuard ? " (stopped by the time guard)" : ""}: ${fmt(result.perSecond)} req/s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms (${result.completed} requests${bad ? `, unexpected ${bad}` : ""}${result.errors ? `, ${result.errors} errors/${result.timeouts} timeouts` : ""})`);
        if (result.firstUnexpectedBody) log(`  first unexpected response: ${result.firstUnexpectedBody}`);
      }

      phaseDone("Roster's scenarios");
      // --- where the time goes: single requests over HTTP vs. the database operations they issue
      server.setPhase("diagnostics");
      log("diagnostics: one request at a time, and the database operations behind it…");
      const budget = Math.max(5_000, options.durationSeconds * 1000);
      const group = (id: string) => `/scim/v2/Groups/${id}?excludedAttributes=members`;
      const addOne = (candidates: string[]) => (run: number) => JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: [{ value: candidates[candidates.length - 1 - run] }] }] });
      const http = {
        userName: await timeHttpSequential(server.url, seeded.token, `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${sample.userName}"`)}`, 3, budget),
        firstPage: await timeHttpSequential(server.url, seeded.token, "/scim/v2/Users?startIndex=1&count=100", 3, budget),
        groupBig: await timeHttpSequential(server.url, seeded.token, group(seeded.bigGroupId), 3, budget),
        groupSmall: await timeHttpSequential(server.url, seeded.token, group(seeded.smallGroupId), 3, budget),
        memberAddBig: await timeHttpSequential(server.url, seeded.token, `/scim/v2/Groups/${seeded.bigGroupId}`, 3, budget, { method: "PATCH", body: addOne(seeded.bigGroupAddCandidates) }),
        memberAddSmall: await timeHttpSequential(server.url, seeded.token, `/scim/v2/Groups/${seeded.smallGroupId}`, 3, budget, { method: "PATCH", body: addOne(seeded.smallGroupAddCandidates) }),
      };
      const breakdown = await breakDown(seeded, seeded.token, budget);
      log("diagnostics: database operations per request, counted by the server (/metrics)…");
      const operations = await countOperations(server.url, seeded.token, metricsToken, seeded, log);
      diagnostics = { http, breakdown, operations };
      phaseDone("diagnostics");

      // --- the peers, side by side: same users, same scenarios, one server at a time
      if (options.peers.length) {
        const peersStarted = Date.now();
        log(`peers: ${options.peers.join(", ")}, seeded with the same ${seeded.users.toLocaleString("en-US")} users…`);
        server.setPhase("peers");
        const compared = await runPeers({ names: options.peers, roster: { url: server.url, token: seeded.token, pid: server.pid, databasePid }, seeded, scenarios: plan, connections: options.connections, durationSeconds: options.durationSeconds, log });
        peers = { ...compared, seconds: (Date.now() - peersStarted) / 1000 };
        phaseDone("peers");
      }
    } finally {
      server.setPhase("end");
      await server.stop();
    }

    // --- the same database operations at the issue's size, when the run itself was smaller
    let grown: BenchRun["grown"];
    if (options.scaleTo > seeded.users) {
      let have = seeded.users;
      let seconds = 0;
      for (const size of [10_000, options.scaleTo].filter((size, index, all) => size > seeded.users && size <= options.scaleTo && all.indexOf(size) === index)) {
        log(`growing the tenant to ${size.toLocaleString("en-US")} users to time the database alone at that size…`);
        const growth = await growUsers(seeded.tenant, have, size, seeded.userIds[0], log);
        seconds += growth.seconds;
        have = size;
        sizes.push(await snapshotAtSize(seeded.tenant, size, growth.lookups, 30_000, 1));
        log(`  database alone at ${describeSnapshot(sizes[sizes.length - 1])}`);
      }
      grown = { users: have, seconds };
      phaseDone("growing the tenant");
    }

    const run: BenchRun = {
      command,
      date: new Date(runStarted).toISOString(),
      totalSeconds: (Date.now() - runStarted) / 1000,
      phases,
      warmUp: WARM_UP,
      options,
      machine: {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.cpus().length,
        memoryGb: os.totalmem() / 1024 ** 3,
        node: process.version,
        os: `${os.type()} ${os.release()}`,
        loadAtStart,
        loadAtEnd: os.loadavg(),
      },
      database: { kind: database.kind, detail: database.detail, version: buildInfo.version ?? "unknown", pidFound: databasePid !== undefined },
      seeded: {
        users: seeded.users,
        groups: seeded.groups,
        memberships: seeded.memberships,
        bigGroupSize: seeded.bigGroupSize,
        smallGroupSize: seeded.smallGroupSize,
        leaders: seeded.leaderIds.length,
        plainDeactivations: seeded.plainDeactivateIds.length,
        seconds: seeded.seedSeconds,
      },
      floor: floor as Record<LookupKind, Measured>,
      sizes,
      grown,
      explains,
      scenarios,
      rss: server.samples,
      diagnostics,
      peers,
      peersSmall,
    };
    // the raw figures, so the report can be re-rendered (--render) without running again
    fs.writeFileSync(path.resolve(__dirname, "..", "..", "bench", "last-run.json"), `${JSON.stringify(run)}\n`);
    const report = renderReport(run);
    const out = path.resolve(options.out);
    fs.writeFileSync(out, report.markdown);
    process.stdout.write(`\n${report.summary}\n`);
    log(`wrote ${out}`);
    log(`total wall time: ${(run.totalSeconds / 60).toFixed(1)} min (${run.totalSeconds.toFixed(0)} s)${peers ? `, of which the peers ${peers.seconds.toFixed(0)} s` : ""}${peersSmall ? ` and the peers at ${peersSmall.users.toLocaleString("en-US")} users ${peersSmall.seconds.toFixed(0)} s` : ""}`);
  } finally {
    if (database.kind === "external" && seededTenant) await deleteTenantCascade(seededTenant).catch(() => undefined);
    await mongoose.disconnect().catch(() => undefined);
    await database.stop();
  }
}

/** How long one count-bound scenario may run before the requests still in flight are dropped (and the report says so). */
function scenarioGuardSeconds(durationSeconds: number): number {
  return durationSeconds * 3 + 30;
}

function describeSnapshot(snapshot: SizeSnapshot): string {
  return `${snapshot.users.toLocaleString("en-US")} users, one at a time (p50): findOne userName ${fmt(snapshot.userName)} ms, externalId ${fmt(snapshot.externalId)} ms, emails ${fmt(snapshot.email)} ms, countDocuments ${fmt(snapshot.count)} ms, first page ${fmt(snapshot.firstPage)} ms`;
}

function delta(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(digits);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
