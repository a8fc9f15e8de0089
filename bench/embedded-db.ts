/**
 * Measures candidate embedded databases for Roster's offline default (SPEC §8,
 * performance issue): crash durability, atomicity of conditional writes, the
 * query features the store relies on, and latency at tenant sizes, through the
 * same `mongodb` driver mongoose uses.
 *
 *   node dist/bench/embedded-db.js --server=h2 --parts=durability,atomicity,capabilities,perf --users=20000
 *
 * --server: h2 (commit before each ack), h2-sync (commit + fsync), h2-delayed
 *   (MVStore's own 1 s background commit), memory, ferretdb.
 * --jar: the mongo-java-server launcher jar (default: the cached build of tools/, built if missing).
 * --out: JSON file the results are written to (default: stdout only).
 * The server runs under `nice`; the script spawns and kills it itself so the
 * durability part can `kill -9` it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Db, type Document } from "mongodb";
import { ensureMongoJavaServerLauncher } from "../src/store/database/ensure-mongo-java-server-launcher";
import { findFreePort } from "../src/store/database/find-free-port";
import { newId } from "../src/store/new-id";
import { userDoc } from "./seed";

type ServerKind = "h2" | "h2-sync" | "h2-delayed" | "memory" | "ferretdb";
const SERVER_KINDS: readonly ServerKind[] = ["h2", "h2-sync", "h2-delayed", "memory", "ferretdb"];
const PARTS = ["durability", "atomicity", "capabilities", "perf"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  server: ServerKind;
  jar: string;
  parts: Part[];
  users: number[];
  out?: string;
  /** wall-clock budget per latency series, ms */
  seriesBudgetMs: number;
  /** niceness of the database server (other work shares the machine) */
  nice: number;
  /** H2 page cache, MB (the launcher's --cache-mb; MVStore's default is 16) */
  cacheMb?: number;
}

function parseOptions(argv: string[]): Options {
  const values = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}`);
    values.set(match[1], match[2]);
  }
  const server = (values.get("server") ?? "h2") as ServerKind;
  if (!SERVER_KINDS.includes(server)) throw new Error(`--server must be one of ${SERVER_KINDS.join(", ")}`);
  const parts = (values.get("parts") ?? PARTS.join(",")).split(",") as Part[];
  for (const part of parts) if (!PARTS.includes(part)) throw new Error(`--parts: unknown ${part}`);
  return {
    server,
    jar: values.get("jar") ?? "",
    parts,
    users: (values.get("users") ?? "20000").split(",").map(Number),
    out: values.get("out"),
    seriesBudgetMs: Number(values.get("series-budget-ms") ?? 20_000),
    nice: Number(values.get("nice") ?? 5),
    cacheMb: values.has("cache-mb") ? Number(values.get("cache-mb")) : undefined,
  };
}

// ---------------------------------------------------------------- server process

interface Launched {
  uri: string;
  child: ChildProcess;
  readyMs: number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

function ferretdbLauncher(): string {
  const dir = path.join(os.homedir(), ".cache", "roster", "ferretdb-launcher-v1.24.2");
  const file = fs.readdirSync(dir).find((name) => !name.startsWith("."));
  if (!file) throw new Error(`no FerretDB launcher in ${dir}`);
  return path.join(dir, file);
}

/** Starts the server on `dataPath` (a file for H2, a directory for FerretDB). */
async function launch(options: Options, dataPath: string | undefined): Promise<Launched> {
  const port = await findFreePort();
  const listen = `--listen-addr=127.0.0.1:${port}`;
  let command: string;
  let args: string[];
  if (options.server === "ferretdb") {
    command = ferretdbLauncher();
    args = [listen, `--sqlite-dir=${dataPath}`];
  } else {
    command = "java";
    const backend =
      options.server === "memory"
        ? ["--backend=memory"]
        : ["--backend=h2", `--data-file=${dataPath}`, `--durability=${options.server === "h2" ? "commit" : options.server.slice(3)}`, ...(options.cacheMb ? [`--cache-mb=${options.cacheMb}`] : [])];
    args = ["-Xmx3g", "-XX:+UseSerialGC", "-jar", options.jar, listen, ...backend];
  }
  const started = Date.now();
  const child = spawn("nice", ["-n", String(options.nice), command, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`not ready in 120 s: ${stderr}`)), 120_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (/listening on /.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited before ready (${signal ?? code}): ${stderr}`));
    });
  });
  const readyMs = Date.now() - started;
  child.stdout!.resume();
  const signalAll = (signal: NodeJS.Signals): void => {
    // `nice` execs the server, so the child pid is the server's
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on("exit", () => signalAll("SIGKILL"));
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    child,
    readyMs,
    kill9: async () => {
      signalAll("SIGKILL");
      await exited;
    },
    stop: async () => {
      signalAll("SIGTERM");
      const timer = setTimeout(() => signalAll("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function freshDataPath(options: Options, label: string): string | undefined {
  if (options.server === "memory") return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-embedded-${label}-`));
  return options.server === "ferretdb" ? dir : path.join(dir, "roster.mv.db");
}

function removeDataPath(dataPath: string | undefined): void {
  if (dataPath) fs.rmSync(path.dirname(dataPath.endsWith(".mv.db") ? dataPath : path.join(dataPath, "x")), { recursive: true, force: true });
}

function sizeMb(dataPath: string | undefined): number | undefined {
  if (!dataPath) return undefined;
  const files = dataPath.endsWith(".mv.db") ? [dataPath] : fs.readdirSync(dataPath).map((name) => path.join(dataPath, name));
  return round(files.reduce((sum, file) => sum + fs.statSync(file).size, 0) / 1024 / 1024, 1);
}

async function connect(uri: string, maxPoolSize = 10, serverSelectionTimeoutMS = 30_000): Promise<MongoClient> {
  // no retries: a write the kill interrupted must fail, not wait for the next server
  const client = new MongoClient(uri, { maxPoolSize, serverSelectionTimeoutMS, retryWrites: false, retryReads: false });
  await client.connect();
  return client;
}

// ---------------------------------------------------------------- helpers

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

interface Series {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Runs `op` sequentially until `maxSamples` or the time budget (at least `minSamples`). */
async function series(op: (i: number) => Promise<unknown>, maxSamples: number, budgetMs: number, minSamples = 5): Promise<Series> {
  const samples: number[] = [];
  const started = Date.now();
  for (let i = 0; i < maxSamples; i++) {
    if (i >= minSamples && Date.now() - started > budgetMs) break;
    const t0 = process.hrtime.bigint();
    await op(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { n: samples.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), max: round(samples[samples.length - 1]) };
}

const log = (message: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- (a) durability

interface DurabilityRound {
  mode: "after-last-ack" | "random-moment";
  acked: number;
  survived: number;
  lost: number;
  /** an unacknowledged write in flight at the kill that is there anyway */
  inFlightPresent: boolean;
  /** unique index still rejects a duplicate and serves every surviving key */
  indexConsistent: boolean;
  restartMs: number;
}

/**
 * N writes in sequence, alternating an insert and an update of the previous
 * insert; kill -9 right after the last ack or at a random moment; restart on
 * the same file and count the acknowledged writes that are there.
 */
async function durability(options: Options, rounds = 10, n = 200): Promise<{ rounds: DurabilityRound[]; writeLatency: Series }> {
  const dataPath = freshDataPath(options, "durability");
  const results: DurabilityRound[] = [];
  let server = await launch(options, dataPath);
  const latencies: number[] = [];
  try {
    for (let round = 0; round < rounds * 2; round++) {
      const mode = round % 2 === 0 ? "after-last-ack" : "random-moment";
      const client = await connect(server.uri, 1, 2_000);
      const col = client.db("durability").collection<Document>(`r${round}`);
      await col.createIndex({ key: 1 }, { unique: true });
      const killAfterMs = mode === "random-moment" ? 100 + Math.random() * 1800 : Infinity;
      const acked: Array<{ kind: "insert" | "update"; k: number }> = [];
      let inFlight: { kind: "insert" | "update"; k: number } | undefined;
      const t0 = Date.now();
      let killed: Promise<void> | undefined;
      if (mode === "random-moment") {
        setTimeout(() => {
          killed = server.kill9();
        }, killAfterMs);
      }
      try {
        for (let k = 0; k < n; k++) {
          const op = { kind: k % 2 === 0 ? ("insert" as const) : ("update" as const), k };
          inFlight = op;
          const s = process.hrtime.bigint();
          if (op.kind === "insert") await col.insertOne({ _id: `d${k}` as never, key: `key-${k}`, payload: "x".repeat(500) });
          else await col.updateOne({ _id: `d${k - 1}` as never }, { $set: { updatedBy: k } });
          latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
          acked.push(op);
          inFlight = undefined;
        }
        if (mode === "after-last-ack") await server.kill9();
      } catch {
        // the kill interrupted the write in flight
      }
      if (killed) await killed;
      else if (mode === "random-moment") await server.kill9(); // all N finished before the timer
      await client.close(true).catch(() => undefined);
      log(`durability round ${round} (${mode}): ${acked.length} acked in ${Date.now() - t0} ms, killed`);

      server = await launch(options, dataPath);
      const check = await connect(server.uri, 1);
      const checkCol = check.db("durability").collection<Document>(`r${round}`);
      const docs = await checkCol.find({}).toArray();
      const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
      let survived = 0;
      for (const op of acked) {
        const ok = op.kind === "insert" ? byId.has(`d${op.k}`) : byId.get(`d${op.k - 1}`)?.updatedBy === op.k;
        if (ok) survived++;
      }
      const inFlightPresent =
        inFlight !== undefined && (inFlight.kind === "insert" ? byId.has(`d${inFlight.k}`) : byId.get(`d${inFlight.k - 1}`)?.updatedBy === inFlight.k);
      let indexConsistent = true;
      for (const doc of docs.slice(-10)) {
        const found = await checkCol.findOne({ key: doc.key });
        if (!found || found._id !== doc._id) indexConsistent = false;
      }
      if (docs.length > 0) {
        try {
          await checkCol.insertOne({ _id: "dup" as never, key: docs[0].key });
          indexConsistent = false;
        } catch (err) {
          if (!(err instanceof MongoServerError && err.code === 11000)) indexConsistent = false;
        }
      }
      await check.close();
      results.push({ mode, acked: acked.length, survived, lost: acked.length - survived, inFlightPresent, indexConsistent, restartMs: server.readyMs });
    }
  } finally {
    await server.stop();
    removeDataPath(dataPath);
  }
  latencies.sort((a, b) => a - b);
  return {
    rounds: results,
    writeLatency: { n: latencies.length, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies[latencies.length - 1]) },
  };
}

// ---------------------------------------------------------------- (b) atomicity

interface AtomicityResult {
  operation: string;
  clients: number;
  rounds: number;
  /** how many of the concurrent writers reported matchedCount 1, per round */
  matchedPerRound: number[];
  finalVersionsOk: boolean;
}

/** `clients` separate connections race the same conditional write on one document version. */
async function atomicity(uri: string, clientCount: number, rounds: number, operation: "updateOne" | "replaceOne"): Promise<AtomicityResult> {
  const clients = await Promise.all(Array.from({ length: clientCount }, () => connect(uri, 1)));
  await Promise.all(clients.map((client) => client.db("atomicity").command({ ping: 1 })));
  const cols = clients.map((client) => client.db("atomicity").collection<Document>("docs"));
  const matchedPerRound: number[] = [];
  let finalVersionsOk = true;
  try {
    for (let round = 0; round < rounds; round++) {
      const id = `${operation}-${clientCount}-${round}-${Date.now()}`;
      await cols[0].insertOne({ _id: id as never, tenant: "t", version: 3, writer: -1 });
      const results = await Promise.all(
        cols.map((col, writer) =>
          operation === "updateOne"
            ? col.updateOne({ tenant: "t", _id: id as never, version: 3 }, { $set: { version: 4, writer } })
            : col.replaceOne({ tenant: "t", _id: id as never, version: 3 }, { tenant: "t", version: 4, writer }),
        ),
      );
      matchedPerRound.push(results.filter((result) => result.matchedCount === 1).length);
      const final = await cols[0].findOne({ _id: id as never });
      if (final?.version !== 4) finalVersionsOk = false;
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return { operation, clients: clientCount, rounds, matchedPerRound, finalVersionsOk };
}

// ---------------------------------------------------------------- (c) capabilities

type Check = { name: string; ok: boolean; detail: string };

async function capabilities(db: Db): Promise<Check[]> {
  const checks: Check[] = [];
  const check = async (name: string, run: () => Promise<{ ok: boolean; detail: string }>): Promise<void> => {
    try {
      checks.push({ name, ...(await run()) });
    } catch (err) {
      checks.push({ name, ok: false, detail: `threw ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`.slice(0, 300) });
    }
  };
  const col = db.collection<Document>("caps");
  await col.deleteMany({});
  await col.createIndex({ tenant: 1, userNameKey: 1 }, { unique: true });
  await col.insertMany([
    { _id: "a" as never, tenant: "t", userNameKey: "ann", version: 1, emails: [{ type: "work", value: "x" }, { type: "home", value: "y" }], tags: ["p"], n: 1, leave: new Date("2026-01-01"), active: true, deletedAt: null },
    { _id: "b" as never, tenant: "t", userNameKey: "bob", version: 1, emails: [{ type: "home", value: "x" }], tags: [], n: 2, leave: new Date("2026-06-01"), active: true, deletedAt: null },
    { _id: "c" as never, tenant: "t", userNameKey: "cat", version: 1, emails: [], n: 3, leave: new Date("2027-01-01"), active: false, deletedAt: new Date() },
    { _id: "d" as never, tenant: "u", userNameKey: "ann", version: 1, emails: [{ type: "work", value: "x" }], n: 4, active: true, deletedAt: null },
  ]);

  await check("$elemMatch document {type, value}", async () => {
    const ids = (await col.find({ tenant: "t", emails: { $elemMatch: { type: "work", value: "x" } } }).toArray()).map((d) => String(d._id));
    return { ok: ids.join() === "a", detail: `matched [${ids.join()}], want [a]` };
  });
  await check("$elemMatch document does not cross elements", async () => {
    const ids = (await col.find({ tenant: "t", emails: { $elemMatch: { type: "home", value: "x" } } }).toArray()).map((d) => String(d._id));
    return { ok: ids.join() === "b", detail: `matched [${ids.join()}], want [b]` };
  });
  await check("$elemMatch with $and inside", async () => {
    const ids = (await col.find({ tenant: "t", emails: { $elemMatch: { $and: [{ type: "work" }, { value: "x" }] } } }).toArray()).map((d) => String(d._id));
    return { ok: ids.join() === "a", detail: `matched [${ids.join()}], want [a]` };
  });
  await check("Roster's probe (src/store/capabilities.ts) passes", async () => {
    const plain = await col.countDocuments({ _id: "a" as never, emails: { $elemMatch: { type: "work", value: "x" } } });
    const crossed = await col.countDocuments({ _id: "a" as never, emails: { $elemMatch: { type: "home", value: "x" } } });
    const combined = await col.countDocuments({ _id: "a" as never, emails: { $elemMatch: { $and: [{ type: "work" }, { value: "x" }] } } });
    return { ok: plain === 1 && crossed === 0 && combined === 1, detail: `plain ${plain}, crossed ${crossed}, combined ${combined} (want 1, 0, 1)` };
  });
  await check("unique index rejects insertOne duplicate with 11000", async () => {
    try {
      await col.insertOne({ _id: "e" as never, tenant: "t", userNameKey: "ann" });
      return { ok: false, detail: "duplicate accepted" };
    } catch (err) {
      return { ok: err instanceof MongoServerError && err.code === 11000, detail: `code ${(err as MongoServerError).code}: ${(err as Error).message.slice(0, 120)}` };
    }
  });
  await check("unique index is per (tenant, key), not per key", async () => {
    const count = await col.countDocuments({ userNameKey: "ann" });
    return { ok: count === 2, detail: `${count} docs named ann in two tenants` };
  });
  let insertedCount: number | undefined;
  await check("insertMany ordered:false reports each duplicate (11000, writeErrors) and stores the rest", async () => {
    try {
      await col.insertMany(
        [
          { _id: "f1" as never, tenant: "t", userNameKey: "f1" },
          { _id: "f2" as never, tenant: "t", userNameKey: "bob" },
          { _id: "f3" as never, tenant: "t", userNameKey: "f3" },
          { _id: "a" as never, tenant: "t", userNameKey: "other" },
          { _id: "f5" as never, tenant: "t", userNameKey: "f5" },
        ],
        { ordered: false },
      );
      return { ok: false, detail: "no error" };
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) return { ok: false, detail: `not a MongoBulkWriteError: ${(err as Error).message}` };
      const errors = (Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]).map((e) => `${e.index}:${e.code}`);
      const stored = await col.countDocuments({ _id: { $in: ["f1", "f3", "f5"] as never[] } });
      const ok = err.code === 11000 && errors.join() === "1:11000,3:11000" && stored === 3;
      insertedCount = err.insertedCount;
      return { ok, detail: `code ${err.code}, writeErrors [${errors.join()}], stored ${stored}` };
    }
  });
  await check("insertMany ordered:false insertedCount counts only the stored documents", async () => ({
    ok: insertedCount === 3,
    detail: `insertedCount ${insertedCount}, 3 stored (src/store/membership-store.ts returns it as the number added)`,
  }));
  await check("updateOne into a duplicate key fails with 11000 and changes nothing", async () => {
    try {
      await col.updateOne({ _id: "b" as never }, { $set: { userNameKey: "ann" } });
      return { ok: false, detail: "accepted" };
    } catch (err) {
      const b = await col.findOne({ _id: "b" as never });
      return { ok: (err as MongoServerError).code === 11000 && b?.userNameKey === "bob", detail: `code ${(err as MongoServerError).code}, b.userNameKey ${b?.userNameKey}` };
    }
  });
  await check("replaceOne with a {tenant, _id, version} filter: match, then stale version no match", async () => {
    const first = await col.replaceOne({ tenant: "t", _id: "a" as never, version: 1 }, { tenant: "t", userNameKey: "ann", version: 2, emails: [{ type: "work", value: "x" }] });
    const stale = await col.replaceOne({ tenant: "t", _id: "a" as never, version: 1 }, { tenant: "t", userNameKey: "ann", version: 9 });
    const doc = await col.findOne({ _id: "a" as never });
    return { ok: first.matchedCount === 1 && stale.matchedCount === 0 && doc?.version === 2, detail: `matched ${first.matchedCount} then ${stale.matchedCount}, version ${doc?.version}` };
  });
  await check("findOneAndUpdate returns the document after ($set + $inc)", async () => {
    const result = await col.findOneAndUpdate({ tenant: "t", _id: "b" as never, version: 1 }, { $set: { title: "x" }, $inc: { version: 1 } }, { returnDocument: "after" });
    const none = await col.findOneAndUpdate({ tenant: "t", _id: "b" as never, version: 1 }, { $set: { title: "y" } }, { returnDocument: "after" });
    return { ok: result?.version === 2 && result?.title === "x" && none === null, detail: `after: version ${result?.version}, title ${result?.title}; stale: ${JSON.stringify(none)}` };
  });
  await check("findOneAndUpdate upsert (one-time claim insert)", async () => {
    const claimed = await col.findOneAndUpdate({ _id: "claim" as never }, { $setOnInsert: { owner: "me" } }, { upsert: true, returnDocument: "after" });
    return { ok: claimed?.owner === "me", detail: `owner ${claimed?.owner}` };
  });
  await check("$addToSet and $addToSet $each add once", async () => {
    await col.updateOne({ _id: "a" as never }, { $addToSet: { done: 1 } });
    await col.updateOne({ _id: "a" as never }, { $addToSet: { done: 1 } });
    await col.updateOne({ _id: "a" as never }, { $addToSet: { done: { $each: [1, 2, 2, 3] } } });
    const doc = await col.findOne({ _id: "a" as never });
    return { ok: JSON.stringify(doc?.done) === "[1,2,3]", detail: `done ${JSON.stringify(doc?.done)}` };
  });
  await check("countDocuments with filter, skip and limit", async () => {
    const all = await col.countDocuments({ tenant: "t", deletedAt: null });
    const limited = await col.countDocuments({ tenant: "t" }, { skip: 1, limit: 2 });
    return { ok: all >= 2 && limited === 2, detail: `deletedAt:null ${all}, skip1 limit2 ${limited}` };
  });
  await check("deletedAt: null matches missing and null, not dates", async () => {
    await col.insertOne({ _id: "nodel" as never, tenant: "t", userNameKey: "nodel" });
    const ids = (await col.find({ tenant: "t", deletedAt: null }).sort({ _id: 1 }).toArray()).map((d) => String(d._id));
    return { ok: !ids.includes("c") && ids.includes("nodel") && ids.includes("a"), detail: `[${ids.join()}]` };
  });
  await check("sort + skip + limit", async () => {
    const page = (await col.find({ tenant: "t" }).sort({ _id: 1 }).skip(1).limit(2).toArray()).map((d) => String(d._id));
    const desc = (await col.find({ tenant: "t" }).sort({ n: -1, _id: 1 }).limit(2).toArray()).map((d) => String(d._id));
    return { ok: page.join() === "b,c" && desc[0] === "c", detail: `asc page [${page.join()}], desc by n [${desc.join()}]` };
  });
  await check("range query {tenant, active, leave: {$lte}}", async () => {
    await col.insertMany([
      { _id: "r1" as never, tenant: "r", userNameKey: "r1", active: true, leave: new Date("2026-01-01") },
      { _id: "r2" as never, tenant: "r", userNameKey: "r2", active: true, leave: new Date("2026-06-01") },
      { _id: "r3" as never, tenant: "r", userNameKey: "r3", active: true, leave: new Date("2027-01-01") },
      { _id: "r4" as never, tenant: "r", userNameKey: "r4", active: false, leave: new Date("2026-01-01") },
      { _id: "r5" as never, tenant: "r", userNameKey: "r5", active: true },
    ]);
    const ids = (await col.find({ tenant: "r", active: true, leave: { $lte: new Date("2026-07-01") } }).sort({ _id: 1 }).toArray()).map((d) => String(d._id));
    return { ok: ids.join() === "r1,r2", detail: `[${ids.join()}], want [r1,r2]` };
  });
  await check("secondary (non-unique) index is listed", async () => {
    await col.createIndex({ tenant: 1, emailKeys: 1 });
    const names = (await col.listIndexes().toArray()).map((index) => index.name);
    return { ok: names.includes("tenant_1_emailKeys_1"), detail: `[${names.join()}]` };
  });
  await check("transactions", async () => {
    const session = db.client.startSession();
    try {
      await session.withTransaction(async () => {
        await col.insertOne({ _id: "tx" as never, tenant: "t", userNameKey: "tx" }, { session });
      });
      return { ok: (await col.countDocuments({ _id: "tx" as never })) === 1, detail: "committed" };
    } finally {
      await session.endSession();
    }
  });
  return checks;
}

// ---------------------------------------------------------------- (d) performance

const USER_INDEXES: Array<[Document, { unique?: boolean }]> = [
  [{ tenant: 1, userNameKey: 1 }, { unique: true }],
  [{ tenant: 1, _id: 1 }, {}],
  [{ tenant: 1, externalId: 1 }, {}],
  [{ tenant: 1, emailKeys: 1 }, {}],
  [{ tenant: 1, "enterprise.manager.value": 1 }, {}],
  [{ tenant: 1, active: 1, "roster.leaveDate": 1 }, {}],
  [{ tenant: 1, deletedAt: 1 }, {}],
];

interface PerfResult {
  users: number;
  seedSeconds: number;
  insertManyDocsPerSecond: number;
  insertOne: Series;
  latencies: Record<string, Series>;
  fileMb?: number;
  restartMs?: number;
  firstLookupAfterRestartMs?: number;
  /** the first query an in-memory index could serve, right after the reopened server is ready */
  firstIndexedQueryAfterRestartMs?: number;
  /** from the first lookup until such a query takes < 20 ms (its index filled) */
  indexesServeAfterRestartMs?: number;
  serverRssMb?: number;
}

function rssMb(pid: number | undefined): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? round(Number(match[1]) / 1024, 0) : undefined;
  } catch {
    return undefined;
  }
}

async function perf(options: Options, users: number): Promise<PerfResult> {
  const dataPath = freshDataPath(options, `perf${users}`);
  let server = await launch(options, dataPath);
  let client = await connect(server.uri);
  const tenant = `perf-${users}`;
  let col: Collection<Document> = client.db("roster").collection("users");
  for (const [keys, indexOptions] of USER_INDEXES) await col.createIndex(keys, indexOptions);
  const budget = options.seriesBudgetMs;
  try {
    const ids: string[] = [];
    const userNames: string[] = [];
    const emails: string[] = [];
    const now = new Date();
    const t0 = Date.now();
    for (let start = 0; start < users; start += 1000) {
      const docs = [];
      for (let i = start; i < Math.min(users, start + 1000); i++) {
        const doc = userDoc(tenant, newId(), i, i === 0 ? undefined : ids[0], now);
        if (i % 5 === 0) (doc as Document).roster = { leaveDate: new Date(now.getTime() + (i % 400) * 86_400_000) };
        ids.push(doc._id);
        userNames.push(doc.userNameKey);
        emails.push(doc.emailKeys![1]);
        docs.push(doc);
      }
      await col.insertMany(docs as Document[], { ordered: false });
      if ((start / 1000) % 10 === 9) log(`  seeded ${start + 1000}`);
    }
    const seedSeconds = (Date.now() - t0) / 1000;
    log(`seeded ${users} in ${seedSeconds} s`);
    const pick = <T>(list: T[], i: number): T => list[(i * 7919) % list.length];
    const latencies: Record<string, Series> = {};
    const measure = async (name: string, op: (i: number) => Promise<unknown>, maxSamples = 300): Promise<void> => {
      latencies[name] = await series(op, maxSamples, budget);
      log(`  ${name}: ${JSON.stringify(latencies[name])}`);
    };
    await measure("findOne {tenant, userNameKey} (unique index)", (i) => col.findOne({ tenant, userNameKey: pick(userNames, i) }));
    await measure("findOne {tenant, _id}", (i) => col.findOne({ tenant, _id: pick(ids, i) as never }));
    await measure("findOne {_id} (no tenant: _id index shape)", (i) => col.findOne({ _id: pick(ids, i) as never }));
    await measure("find {tenant, emailKeys}", (i) => col.find({ tenant, emailKeys: pick(emails, i) }).toArray());
    await measure("find {tenant, externalId: missing}", () => col.find({ tenant, externalId: "none" }).toArray());
    await measure("first page find {tenant, deletedAt:null} sort _id limit 100", () => col.find({ tenant, deletedAt: null }).sort({ _id: 1 }).limit(100).toArray(), 100);
    await measure("page 5 skip 400 limit 100", () => col.find({ tenant, deletedAt: null }).sort({ _id: 1 }).skip(400).limit(100).toArray(), 100);
    const sortedIds = [...ids].sort();
    await measure("deep page (cursor) {$and: [{tenant, deletedAt:null}, {_id: {$gt: <middle>}}]} sort _id limit 101", (i) => col.find({ $and: [{ tenant, deletedAt: null }, { _id: { $gt: sortedIds[Math.floor(sortedIds.length / 2) + (i % 100)] as never } }] }).sort({ _id: 1 }).limit(101).toArray(), 100);
    await measure("first page descending sort _id -1 limit 100", () => col.find({ tenant, deletedAt: null }).sort({ _id: -1 }).limit(100).toArray(), 100);
    await measure("countDocuments {tenant, deletedAt:null}", () => col.countDocuments({ tenant, deletedAt: null }), 100);
    await measure("range {tenant, active, roster.leaveDate $lte}", () => col.find({ tenant, active: true, "roster.leaveDate": { $lte: new Date(now.getTime() + 3 * 86_400_000) } }).toArray(), 100);
    await measure("conditional updateOne {tenant, _id, version}", (i) => col.updateOne({ tenant, _id: pick(ids, i) as never, version: 1 }, { $set: { title: `t${i}` } }), 100);
    const insertOne = await series((i) => col.insertOne(userDoc(tenant, newId(), users + i, ids[0], now) as Document), 300, budget);
    log(`  insertOne: ${JSON.stringify(insertOne)}`);
    if (options.server !== "ferretdb") {
      // mongo-java-server only uses unique indexes, matched on exactly their key set
      await col.createIndex({ tenant: 1, _id: 1 }, { unique: true, name: "tenant_id_unique" });
      await measure("findOne {tenant, _id} with a unique {tenant,_id} index", (i) => col.findOne({ tenant, _id: pick(ids, i) as never }));
      await measure("conditional updateOne {tenant, _id, version} with unique {tenant,_id}", (i) => col.updateOne({ tenant, _id: pick(ids, i) as never, version: 1 }, { $set: { title: `u${i}` } }), 100);
    }
    const result: PerfResult = {
      users,
      seedSeconds,
      insertManyDocsPerSecond: Math.round(users / seedSeconds),
      insertOne,
      latencies,
      serverRssMb: rssMb(server.child.pid),
    };
    if (dataPath) {
      await client.close();
      await server.stop();
      result.fileMb = sizeMb(dataPath);
      server = await launch(options, dataPath);
      result.restartMs = server.readyMs;
      client = await connect(server.uri);
      col = client.db("roster").collection("users");
      const s = Date.now();
      const found = await col.findOne({ tenant, userNameKey: userNames[1] });
      result.firstLookupAfterRestartMs = Date.now() - s;
      // an in-memory (non-unique) index is filled by a background pass after the start: until then it scans
      const e = Date.now();
      await col.find({ tenant, emailKeys: emails[1] }).toArray();
      result.firstIndexedQueryAfterRestartMs = Date.now() - e;
      for (let i = 0; ; i++) {
        const q = Date.now();
        await col.find({ tenant, emailKeys: pick(emails, i) }).toArray();
        if (Date.now() - q < 20 || Date.now() - e > 120_000) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      result.indexesServeAfterRestartMs = Date.now() - s;
      const count = await col.countDocuments({ tenant });
      log(`  reopened: ready ${server.readyMs} ms, first lookup ${result.firstLookupAfterRestartMs} ms (${found ? "found" : "MISSING"}), first emailKeys query ${result.firstIndexedQueryAfterRestartMs} ms, emailKeys served by its index ${result.indexesServeAfterRestartMs} ms after the first lookup, ${count} users`);
    }
    return result;
  } finally {
    await client.close().catch(() => undefined);
    await server.stop();
    removeDataPath(dataPath);
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.jar === "" && options.server !== "ferretdb") options.jar = await ensureMongoJavaServerLauncher(log);
  const report: Record<string, unknown> = {
    server: options.server,
    at: new Date().toISOString(),
    machine: `${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join("/")}`,
  };
  const save = (): void => {
    if (options.out) fs.writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  };
  if (options.parts.includes("durability") && options.server !== "memory") {
    log("durability");
    report.durability = await durability(options);
    save();
  }
  if (options.parts.includes("atomicity") || options.parts.includes("capabilities")) {
    const dataPath = freshDataPath(options, "atomicity");
    const server = await launch(options, dataPath);
    try {
      if (options.parts.includes("atomicity")) {
        log("atomicity");
        report.atomicity = [
          await atomicity(server.uri, 10, 20, "updateOne"),
          await atomicity(server.uri, 50, 20, "updateOne"),
          await atomicity(server.uri, 50, 20, "replaceOne"),
        ];
        save();
      }
      if (options.parts.includes("capabilities")) {
        log("capabilities");
        const client = await connect(server.uri);
        report.capabilities = await capabilities(client.db("caps"));
        await client.close();
        save();
      }
    } finally {
      await server.stop();
      removeDataPath(dataPath);
    }
  }
  if (options.parts.includes("perf")) {
    report.perf = [];
    for (const users of options.users) {
      log(`perf ${users}`);
      (report.perf as PerfResult[]).push(await perf(options, users));
      save();
    }
  }
  report.machineAfter = `load ${os.loadavg().map((l) => l.toFixed(1)).join("/")}`;
  save();
  console.log(JSON.stringify(report, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
