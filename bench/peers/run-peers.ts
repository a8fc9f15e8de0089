import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { UserDoc } from "../../src/store/documents";
import { UserModel } from "../../src/store/models";
import { findFreePort } from "../../src/store/database/find-free-port";
import { closedLoop, lookupValue, type Measured } from "../floor";
import { cpuSeconds } from "../process-cpu";
import type { HttpScenario } from "../scenarios";
import type { Seeded } from "../seed";
import { installPeer, type InstalledPeer, type PeerName } from "./peer-install";

/** The scenarios compared side by side: the three lookups and the first list page. */
export const PEER_SCENARIOS = ["userName", "externalId", "email", "firstPage"] as const;

/**
 * One scenario on one server of the comparison. Every server of the comparison (Roster included)
 * is measured with this same generator: a closed loop of fetch clients, not autocannon, because
 * scim2-server's wsgiref server answers HTTP/1.0 and closes each connection, which autocannon
 * miscounts (it reported half the requests and ten times the latency a fetch loop measured).
 */
export interface PeerScenarioRun extends Measured {
  key: string;
  label: string;
  /** the first unexpected answer (status and body start), if any */
  firstError?: string;
  /** the server process's user+system CPU during the scenario, per completed request */
  cpuMsPerRequest?: number;
  /** Roster only: its database process's CPU per request */
  databaseCpuMsPerRequest?: number;
}

export interface PeerRun {
  name: PeerName;
  version?: string;
  /** why the peer was not compared */
  skipped?: string;
  installSeconds?: number;
  /** users the peer holds after seeding (its own totalResults) */
  users?: number;
  seedSeconds?: number;
  /** how the users were put in */
  seedPath?: string;
  /** a lookup of each kind, checked once after seeding: "userName eq: 1 found" etc. */
  checks?: string[];
  scenarios: PeerScenarioRun[];
  /** from its install to its stop (the peers are up and seeded at the same time, then measured one after the other) */
  seconds: number;
}

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const SCIM_JSON = "application/scim+json";
/** users per /Bulk request (both peers allow 1,000 and 1 MiB): SCIMMY's bulk costs 3.4 ms of CPU per user in batches of 500 and 1.9 ms in batches of 100, scim2-server 1.8 ms either way */
const BULK_SIZE = 100;
const SEED_CONCURRENCY = 4;
const READY_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 60_000;

/** A seeded user as SCIM JSON, the attributes Roster holds (the manager is left out: its id means nothing to a peer). */
export function scimUser(doc: UserDoc): Record<string, unknown> {
  const e = doc.enterprise ?? {};
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    userName: doc.userName,
    externalId: doc.externalId,
    name: doc.name,
    displayName: doc.displayName,
    title: doc.title,
    userType: doc.userType,
    preferredLanguage: doc.preferredLanguage,
    locale: doc.locale,
    timezone: doc.timezone,
    active: doc.active,
    emails: doc.emails,
    phoneNumbers: doc.phoneNumbers,
    addresses: doc.addresses,
    [ENTERPRISE_USER]: { employeeNumber: e.employeeNumber, costCenter: e.costCenter, organization: e.organization, division: e.division, department: e.department },
  };
}

/** The seeded users as Roster holds them, in Roster's list order (`_id`), as SCIM bodies for the peers. */
export async function seededUserBodies(seeded: Seeded): Promise<string[]> {
  const wanted = new Set(seeded.userIds);
  const docs = (await UserModel.collection.find({ tenant: seeded.tenant }).toArray()) as unknown as UserDoc[];
  return docs
    .filter((doc) => wanted.has(doc._id))
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map((doc) => JSON.stringify(scimUser(doc)));
}

interface Started {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startPeer(peer: InstalledPeer, token: string): Promise<Started> {
  const port = await findFreePort();
  const { file, args, cwd, env } = peer.command(port, token);
  const logFile = path.join(os.tmpdir(), `roster-bench-peer-${peer.name}-${process.pid}.log`);
  const log = fs.openSync(logFile, "w");
  const child = spawn(file, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: process.env.LANG, ...env }, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`${peer.name} ${exited}: ${fs.readFileSync(logFile, "utf8").slice(-800)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${peer.name} did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    }
    const ready = await fetch(`${url}${peer.basePath}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.ok, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await gone;
      clearTimeout(timeout);
    },
  };
}

const headers = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": SCIM_JSON, accept: SCIM_JSON });

/**
 * Seeding through HTTP is most of a peer's part of the run (100,000 users: ~150 s on a quiet machine
 * with both peers at once, 580 s for scim2-server on a loaded one), so it has a budget: a peer not
 * seeded by then is not compared, and the report says how far it got.
 */
const SEED_BUDGET_SECONDS = 300;

/** Puts the users in through SCIM /Bulk (POST /Users operations), a few requests at a time. */
async function seedPeer(base: string, token: string, bodies: string[]): Promise<void> {
  let next = 0;
  let done = 0;
  const began = Date.now();
  const deadline = began + SEED_BUDGET_SECONDS * 1000;
  const worker = async () => {
    for (;;) {
      const start = next;
      next += BULK_SIZE;
      if (start >= bodies.length || Date.now() > deadline) return;
      const batch = bodies.slice(start, start + BULK_SIZE);
      const operations = batch.map((body, k) => `{"method":"POST","path":"/Users","bulkId":"u${start + k}","data":${body}}`).join(",");
      const request = () => fetch(`${base}/Bulk`, { method: "POST", headers: headers(token), body: `{"schemas":["${BULK_REQUEST}"],"Operations":[${operations}]}`, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      // a connection lost on the way is retried once; users the lost request did create answer 409 then
      let retried = false;
      const response = await request().catch(() => ((retried = true), request()));
      const text = await response.text();
      if (response.status !== 200) throw new Error(`/Bulk answered ${response.status}: ${text.slice(0, 300)}`);
      const created = (status: string | number) => String(status) === "201" || (retried && String(status) === "409");
      const failed = (JSON.parse(text) as { Operations: Array<{ status: string | number }> }).Operations.filter((op) => !created(op.status));
      if (failed.length) throw new Error(`/Bulk: ${failed.length} of ${batch.length} creates failed: ${JSON.stringify(failed[0]).slice(0, 300)}`);
      done += batch.length;
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  if (done < bodies.length) {
    const seconds = (Date.now() - began) / 1000;
    throw new Error(`seeding stopped by its ${SEED_BUDGET_SECONDS} s budget at ${done.toLocaleString("en-US")} of ${bodies.length.toLocaleString("en-US")} users (${Math.round(done / seconds)} users/s)`);
  }
}

async function totalResults(base: string, token: string, query: string): Promise<number> {
  const response = await fetch(`${base}/Users?${query}`, { headers: headers(token) });
  const body = (await response.json()) as { totalResults?: number; Resources?: unknown[] };
  if (response.status !== 200) throw new Error(`GET /Users?${query} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.totalResults ?? body.Resources?.length ?? 0;
}

export interface PeerPlan {
  names: PeerName[];
  /** Roster's server, still running: measured again here with the peers' generator */
  roster: { url: string; token: string; pid: number; databasePid?: number };
  seeded: Seeded;
  /** Roster's scenarios, whose paths (under /scim/v2) are replayed on each peer */
  scenarios: HttpScenario[];
  connections: number;
  durationSeconds: number;
  log: (message: string) => void;
}

/**
 * Runs each peer alone (Roster's server is stopped by then), seeded with the same users,
 * through the same scenarios at the same concurrency and duration as Roster's.
 */
export async function runPeers(plan: PeerPlan): Promise<{ roster: PeerScenarioRun[]; runs: PeerRun[] }> {
  const { log } = plan;
  const wanted = plan.scenarios.filter((scenario) => (PEER_SCENARIOS as readonly string[]).includes(scenario.key));
  const token = `peer-${Date.now().toString(36)}`;
  const roster: PeerScenarioRun[] = [];
  log("  Roster, with the generator the peers get…");
  for (const scenario of wanted) {
    const result = await measure(plan.roster.url, plan.roster.token, scenario, plan, plan.roster.pid, plan.roster.databasePid);
    roster.push(result);
    log(`  Roster ${describe(result)}`);
  }

  const runs: PeerRun[] = [];
  const started: Array<{ run: PeerRun; peer: InstalledPeer; server: Started; began: number }> = [];
  // read before any peer starts: at 100,000 users this blocks for seconds, long enough for a peer to
  // close the idle keep-alive socket of its readiness check under the client's feet ("fetch failed")
  const bodies = await seededUserBodies(plan.seeded);
  try {
    for (const name of plan.names) {
      const began = Date.now();
      const installed = installPeer(name);
      if ("skipped" in installed) {
        log(`peer ${name}: skipped, ${installed.skipped}`);
        runs.push({ name, skipped: installed.skipped, scenarios: [], seconds: (Date.now() - began) / 1000 });
        continue;
      }
      const run: PeerRun = { name, version: installed.version, installSeconds: installed.installSeconds, scenarios: [], seconds: 0 };
      runs.push(run);
      log(`peer ${installed.version}: ${installed.installSeconds ? `installed in ${installed.installSeconds.toFixed(1)} s` : "from the cache"}`);
      try {
        started.push({ run, peer: installed, server: await startPeer(installed, token), began });
      } catch (error) {
        fail(run, error, log);
      }
    }
    if (!started.length) return { roster, runs };

    // the peers are seeded at the same time (one is Python, one Node: a core each), then measured one at a time
    await Promise.all(started.map(({ run, peer, server }) => seedAndCheck(run, `${server.url}${peer.basePath}`, token, bodies, plan, log).catch((error) => fail(run, error, log))));
    for (const { run, peer, server } of started) {
      if (run.skipped) continue;
      try {
        for (const scenario of wanted) {
          const theirs = { ...scenario, path: (sequence: number) => `${peer.basePath}${scenario.path(sequence).replace(/^\/scim\/v2/, "")}` };
          const result = await measure(server.url, token, theirs, plan, server.pid);
          run.scenarios.push(result);
          log(`  ${run.name} ${describe(result)}`);
        }
      } catch (error) {
        fail(run, error, log);
      }
    }
  } finally {
    for (const { run, server, began } of started) {
      await server.stop();
      run.seconds = (Date.now() - began) / 1000;
    }
  }
  return { roster, runs };
}

function fail(run: PeerRun, error: unknown, log: (message: string) => void): void {
  // fetch's "fetch failed" says nothing by itself: the socket error is its cause
  const cause = error instanceof Error && error.cause ? ` (${error.cause instanceof Error ? error.cause.message : String(error.cause)})` : "";
  run.skipped = `failed: ${error instanceof Error ? error.message : String(error)}${cause}`;
  log(`peer ${run.name}: ${run.skipped}`);
}

async function seedAndCheck(run: PeerRun, base: string, token: string, bodies: string[], plan: PeerPlan, log: (message: string) => void): Promise<void> {
  const seedStarted = Date.now();
  await seedPeer(base, token, bodies);
  run.seedSeconds = (Date.now() - seedStarted) / 1000;
  run.seedPath = `SCIM POST /Bulk, ${BULK_SIZE} creates per request, ${SEED_CONCURRENCY} requests at a time, both peers at once`;
  run.users = await totalResults(base, token, "count=1");
  log(`  ${run.name}: seeded ${run.users.toLocaleString("en-US")} users through /Bulk in ${run.seedSeconds.toFixed(1)} s (${Math.round(bodies.length / run.seedSeconds)} users/s)`);
  if (run.users !== bodies.length) throw new Error(`holds ${run.users} users after seeding ${bodies.length}`);
  run.checks = [];
  for (const kind of ["userName", "externalId", "email"] as const) {
    const attribute = kind === "email" ? "emails.value" : kind;
    const found = await totalResults(base, token, `filter=${encodeURIComponent(`${attribute} eq "${lookupValue(plan.seeded, kind, 0)}"`)}`);
    run.checks.push(`${attribute} eq: ${found} found`);
    if (found !== 1) throw new Error(`a seeded user's ${attribute} eq lookup found ${found} resources`);
  }
}


/** One scenario on one server: `connections` clients, each sending the next request when its answer is in, for the duration. */
async function measure(url: string, token: string, scenario: HttpScenario, plan: PeerPlan, pid: number, databasePid?: number): Promise<PeerScenarioRun> {
  let firstError: string | undefined;
  const before = { server: cpuSeconds(pid), database: databasePid ? cpuSeconds(databasePid) : undefined };
  const measured = await closedLoop(plan.connections, plan.durationSeconds * 1000, async (sequence) => {
    const response = await fetch(`${url}${scenario.path(sequence)}`, { headers: headers(token), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await response.arrayBuffer();
    if (!scenario.expect.includes(response.status)) {
      firstError ??= `${response.status}: ${Buffer.from(body).toString("utf8").slice(0, 300)}`;
      throw new Error(String(response.status));
    }
  });
  const perRequest = (from: number | undefined, to: number | undefined) => (from !== undefined && to !== undefined && measured.completed ? ((to - from) * 1000) / measured.completed : undefined);
  return {
    key: scenario.key,
    label: scenario.label,
    ...measured,
    firstError,
    cpuMsPerRequest: perRequest(before.server, cpuSeconds(pid)),
    databaseCpuMsPerRequest: databasePid ? perRequest(before.database, cpuSeconds(databasePid)) : undefined,
  };
}

function describe(result: PeerScenarioRun): string {
  const ms = (value: number) => (value >= 100 ? Math.round(value).toString() : value.toFixed(1));
  return `${result.label}: ${result.perSecond.toFixed(1)} req/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms (${result.completed} requests${result.errors ? `, ${result.errors} failed; first: ${result.firstError ?? "no answer"}` : ""})`;
}
