import { createHash } from "node:crypto";
import mongoose from "mongoose";
import { AuditModel, GroupModel, MembershipModel, TokenModel, UserModel } from "../src/store/models";
import { newId } from "../src/store/new-id";
import { percentile } from "./floor";
import type { Seeded } from "./seed";

/** One database operation timed alone, sequentially (no concurrency). */
export interface OpTiming {
  op: string;
  runs: number;
  p50: number;
  max: number;
}

/** Sequential timing of `operation`, at most `runs` times and about `budgetMs` in all. */
export async function timeSequential(operation: (run: number) => Promise<unknown>, runs: number, budgetMs: number, minRuns = 2): Promise<{ runs: number; p50: number; max: number; all: number[] }> {
  const latencies: number[] = [];
  const started = Date.now();
  for (let run = 0; run < runs && (run < minRuns || Date.now() - started < budgetMs); run++) {
    const begun = process.hrtime.bigint();
    await operation(run);
    latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return { runs: latencies.length, p50: percentile(sorted, 50), max: sorted[sorted.length - 1], all: latencies };
}

/** How the database plans a find: FerretDB's pushdown flags, MongoDB's winning plan stages. */
export async function explainFind(collection: string, filter: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  try {
    const db = mongoose.connection.db!;
    const result = (await db.command({ explain: { find: collection, filter, ...extra }, verbosity: "queryPlanner" })) as Record<string, unknown>;
    if ("filterPushdown" in result) {
      const plan = (result.queryPlanner as { Plan?: string[] } | undefined)?.Plan?.join("; ") ?? "";
      return `filterPushdown:${String(result.filterPushdown)}, sortPushdown:${String(result.sortPushdown)}, limitPushdown:${String(result.limitPushdown)} (SQLite: ${plan.replace(/id=\d+ parent=\d+ notused=\d+ detail=/g, "")})`;
    }
    const planner = result.queryPlanner as { winningPlan?: unknown } | undefined;
    return `winning plan: ${stages(planner?.winningPlan).join(" ← ") || JSON.stringify(result).slice(0, 200)}`;
  } catch (error) {
    return `explain not available (${error instanceof Error ? error.message.slice(0, 80) : String(error)})`;
  }
}

function stages(plan: unknown): string[] {
  if (!plan || typeof plan !== "object") return [];
  const node = plan as { stage?: string; indexName?: string; inputStage?: unknown; queryPlan?: unknown };
  const here = node.stage ? [node.indexName ? `${node.stage}(${node.indexName})` : node.stage] : [];
  return [...here, ...stages(node.inputStage ?? node.queryPlan)];
}

export interface Breakdown {
  /** which HTTP request these are the database operations of */
  request: string;
  ops: OpTiming[];
  /** sum of the ops' medians: what the database alone costs one such request */
  databaseMs: number;
}

/**
 * The database operations Roster issues for one request of each kind (read from
 * src/store/*-store.ts, src/scim/list-resources.ts, src/services/*), each timed
 * alone through the driver, so a request's latency splits into database and Roster.
 */
export async function breakDown(seeded: Seeded, token: string, budgetMs: number): Promise<Breakdown[]> {
  const { tenant } = seeded;
  const users = UserModel.collection;
  const memberships = MembershipModel.collection;
  const groups = GroupModel.collection;
  const runs = 3;
  const sample = seeded.lookups[seeded.lookups.length - 1];
  const live = { tenant, deletedAt: null };
  const hash = createHash("sha256").update(token).digest("hex");
  const deep = Math.floor(seeded.users * 0.9);
  const deepId = seeded.userIds[deep - 2];
  const firstPageIds = seeded.userIds.slice(0, 100);
  const spareUser = seeded.smallGroupAddCandidates[0];
  const inserted: string[] = [];

  const auth: Array<[string, () => Promise<unknown>]> = [
    // a token found live is trusted for 500 ms and lastUsedAt is written once a minute per process,
    // so under load most requests issue neither; one read is listed as the worst case
    ["tokens.findOne({hash}) — authentication, at most once per 500 ms", () => TokenModel.collection.findOne({ hash })],
  ];
  const plans: Array<{ request: string; ops: Array<[string, () => Promise<unknown>]> }> = [
    {
      request: "filter userName eq",
      ops: [
        ...auth,
        // exactly the unique index's keys; liveness is checked on the match (no countDocuments: a short page is the total)
        ["users.find({tenant,userNameKey})", () => users.find({ tenant, userNameKey: sample.userName }).toArray()],
        ["memberships.find({tenant,userId}) — groups attribute", () => memberships.find({ tenant, userId: sample.id }).toArray()],
        ["groups.find({tenant,_id:{$in:[…]}}) — group names", () => groups.find({ tenant, _id: { $in: [seeded.bigGroupId] } } as never).toArray()],
      ],
    },
    {
      request: "first list page",
      ops: [
        ...auth,
        ["users.find(live).sort({_id:1}).limit(100)", () => users.find(live).sort({ _id: 1 }).limit(100).toArray()],
        ["users.countDocuments(live) — totalResults", () => users.countDocuments(live)],
        ["memberships.find({tenant,userId:{$in:[100 ids]}})", () => memberships.find({ tenant, userId: { $in: firstPageIds } }).toArray()],
      ],
    },
    {
      request: "deep page, index",
      ops: [["users.find(live).sort({_id:1}).skip(0.9·N).limit(100)", () => users.find(live).sort({ _id: 1 }).skip(deep - 1).limit(100).toArray()]],
    },
    {
      request: "deep page, cursor",
      ops: [["users.find({$and:[live,{_id:{$gt:cursor}}]}).sort({_id:1}).limit(101)", () => users.find({ $and: [live, { _id: { $gt: deepId } }] } as never).sort({ _id: 1 }).limit(101).toArray()]],
    },
    {
      request: "GET group excludedAttributes=members",
      ops: [
        ["groups.findOne({tenant,_id})", () => groups.findOne({ tenant, _id: seeded.bigGroupId } as never)],
        [`memberships.find({tenant,groupId}) — ${seeded.bigGroupSize.toLocaleString("en-US")}-member group`, () => memberships.find({ tenant, groupId: seeded.bigGroupId }, { projection: { userId: 1, _id: 0 } }).toArray()],
        [`memberships.find({tenant,groupId}) — ${seeded.smallGroupSize}-member group`, () => memberships.find({ tenant, groupId: seeded.smallGroupId }, { projection: { userId: 1, _id: 0 } }).toArray()],
      ],
    },
    {
      request: "member-add PATCH",
      ops: [
        ...auth,
        ["groups.findOne({tenant,_id})", () => groups.findOne({ tenant, _id: seeded.smallGroupId } as never)],
        ["users.find({tenant,_id:{$in:[1 id]},deletedAt:null},{_id:1}) — members exist", () => users.find({ tenant, _id: { $in: [spareUser] }, deletedAt: null } as never, { projection: { _id: 1 } }).toArray()],
        ["memberships.insertMany([1 doc])", async () => {
          const id = `bench-diagnose-${newId()}`;
          inserted.push(id);
          await memberships.insertMany([{ _id: id, tenant, groupId: id, userId: spareUser, created: new Date() }] as never[]);
        }],
        ["groups.updateOne({tenant,_id},{$inc:{version:1}})", () => groups.updateOne({ tenant, _id: seeded.smallGroupId } as never, { $inc: { version: 1 }, $set: { lastModified: new Date() } })],
        ["audit.insertOne", () => AuditModel.collection.insertOne({ _id: newId(), tenant, at: new Date(), actor: "bench", action: "bench.diagnose", target: spareUser, requestId: "bench" } as never)],
      ],
    },
    {
      request: "deactivate PATCH (its reads and commit write; the operations it sends in all are counted from /metrics below)",
      ops: [
        ["users.findOne({tenant,_id,deletedAt:null}) — read the user", () => users.findOne({ tenant, _id: sample.id, deletedAt: null } as never)],
        ["users.findOne({_id}) — the same read by id alone, for comparison (not what Roster sends)", () => users.findOne({ _id: sample.id } as never)],
        ["users.find({tenant,'enterprise.manager.value',deletedAt:null}) — reports", () => users.find({ tenant, "enterprise.manager.value": sample.id, deletedAt: null }, { projection: { _id: 1 } }).toArray()],
        ["groups.find({tenant,'roster.manager.value'}) — groups led", () => groups.find({ tenant, "roster.manager.value": sample.id }, { projection: { _id: 1 } }).toArray()],
        ["users.replaceOne({tenant,_id,version,deletedAt:null}) — the commit write (matches nothing here)", () => users.replaceOne({ tenant, _id: sample.id, version: -1, deletedAt: null } as never, { tenant } as never)],
      ],
    },
  ];

  const result: Breakdown[] = [];
  for (const plan of plans) {
    const ops: OpTiming[] = [];
    for (const [op, run] of plan.ops) {
      const timing = await timeSequential(run, runs, budgetMs);
      ops.push({ op, runs: timing.runs, p50: timing.p50, max: timing.max });
    }
    result.push({ request: plan.request, ops, databaseMs: ops.reduce((sum, op) => sum + op.p50, 0) });
  }
  if (inserted.length) await MembershipModel.collection.deleteMany({ tenant, _id: { $in: inserted } } as never);
  return result;
}

/** One request at a time over HTTP, for comparison with the sum of its database operations. */
export async function timeHttpSequential(url: string, token: string, path: string, runs: number, budgetMs: number, init: { method?: string; body?: (run: number) => string } = {}): Promise<{ runs: number; p50: number; max: number }> {
  const timing = await timeSequential(async (run) => {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: init.body?.(run),
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`${path}: HTTP ${response.status}`);
  }, runs, budgetMs);
  return { runs: timing.runs, p50: timing.p50, max: timing.max };
}

/** The floor's lookups and Roster's two list queries, one at a time, at the tenant's current size. */
export interface SizeSnapshot {
  users: number;
  userName: number;
  externalId: number;
  email: number;
  count: number;
  firstPage: number;
  runs: number;
}

export async function snapshotAtSize(tenant: string, users: number, lookups: Seeded["lookups"], budgetMs: number, minRuns = 2): Promise<SizeSnapshot> {
  const collection = UserModel.collection;
  const live = { tenant, deletedAt: null };
  const pick = (run: number) => lookups[run % lookups.length];
  const runs = 5;
  const userName = await timeSequential((run) => collection.findOne({ tenant, userNameKey: pick(run).userName }), runs, budgetMs, minRuns);
  const externalId = await timeSequential((run) => collection.findOne({ tenant, externalId: pick(run + 1).externalId }), runs, budgetMs, minRuns);
  const email = await timeSequential((run) => collection.findOne({ tenant, emailKeys: pick(run + 2).email }), runs, budgetMs, minRuns);
  const count = await timeSequential(() => collection.countDocuments(live), 3, budgetMs, minRuns);
  const firstPage = await timeSequential(() => collection.find(live).sort({ _id: 1 }).limit(100).toArray(), 3, budgetMs, minRuns);
  return { users, userName: userName.p50, externalId: externalId.p50, email: email.p50, count: count.p50, firstPage: firstPage.p50, runs: Math.min(userName.runs, externalId.runs, email.runs, count.runs, firstPage.runs) };
}
