/**
 * tools/mongo-java-server-launcher answers queries from indexes mongo-java-server 1.47 would not
 * use (a unique index whose keys the query pins among other conditions, and non-unique indexes
 * it keeps in memory), walks the `_id` order for a sorted page and counts from an in-memory index.
 * Invariant: every query returns what the same query returns on a copy of the collection without
 * indexes (a scan, sorted, skipped and limited here), before and after updates, replaces and
 * deletes, and while the background pass that fills an index races writes.
 */
import { expect } from "chai";
import mongoose from "mongoose";
import { loadConfig } from "../../../src/config/load-config";
import { startDatabase, type StartedDatabase } from "../../../src/store/database/start-database";

type Doc = Record<string, unknown>;

const now = new Date("2026-06-01T00:00:00Z");
const DOCS: Doc[] = Array.from({ length: 60 }, (_unused, i) => ({
  _id: `u${String(i).padStart(2, "0")}`,
  tenant: i % 3 === 0 ? "other" : "t",
  userNameKey: `user${i}`,
  externalId: i % 4 === 0 ? undefined : `x${i % 5}`,
  emailKeys: [`a${i % 7}@x`, `b${i % 2}@x`],
  active: i % 2 === 0,
  deletedAt: i % 6 === 0 ? now : null,
  enterprise: { manager: { value: `u${String(i % 4).padStart(2, "0")}` } },
  roster: i % 5 === 0 ? { leaveDate: new Date(now.getTime() + (i - 30) * 86_400_000) } : undefined,
}));

const QUERIES: Doc[] = [
  { tenant: "t", userNameKey: "user7" },
  { tenant: "t", userNameKey: "user7", deletedAt: null },
  { $and: [{ tenant: "t", deletedAt: null }, { userNameKey: "user8" }] },
  { tenant: "t", _id: "u07", version: { $exists: false } },
  { tenant: "t", _id: { $in: ["u01", "u02", "u03", "nope"] }, deletedAt: null },
  { tenant: "t", externalId: "x1" },
  { tenant: "t", externalId: { $in: ["x1", "x2"] }, active: true },
  { tenant: "t", emailKeys: "a3@x" },
  { tenant: "t", emailKeys: "b1@x", deletedAt: null },
  { tenant: "t", "enterprise.manager.value": "u01", deletedAt: null },
  { tenant: "t", active: true, "roster.leaveDate": { $lte: now } },
  { tenant: "t", active: true, "roster.leaveDate": now },
  { tenant: "t", externalId: null },
  { tenant: "t", externalId: "x1", $or: [{ active: true }, { deletedAt: { $ne: null } }] },
];

/** The same listing computed here from an unsorted scan: the reference for the ordered walk. */
async function scannedPage(collection: mongoose.mongo.Collection, query: Doc, order: 1 | -1, skip: number, limit: number): Promise<string[]> {
  const all = (await collection.find(query as never).toArray()).map((doc) => String(doc._id));
  all.sort((a, b) => (a < b ? -order : a > b ? order : 0));
  return all.slice(skip, limit === 0 ? undefined : skip + limit);
}

const PAGED: Doc[] = [
  { tenant: "t", deletedAt: null },
  { tenant: "other", deletedAt: null },
  { tenant: "t" },
  { tenant: "t", deletedAt: null, active: true },
  { $and: [{ tenant: "t", deletedAt: null }, { _id: { $gt: "u20" } }] },
  { $and: [{ tenant: "t", deletedAt: null }, { _id: { $lt: "u40" } }] },
  { $and: [{ tenant: "t", deletedAt: null }, { _id: { $gte: "u21", $lt: "u50" } }] },
  { $and: [{ tenant: "t", deletedAt: null }, { $or: [{ active: true }, { externalId: "x2" }] }] },
  { tenant: "nobody", deletedAt: null },
];

const COUNTED: Doc[] = [
  { tenant: "t", deletedAt: null },
  { tenant: "other", deletedAt: null },
  { tenant: "t" },
  { tenant: "t", externalId: "x1" },
  { tenant: "t", externalId: null },
  { tenant: "t", emailKeys: "a3@x" },
  { $and: [{ tenant: "t" }, { externalId: "x2" }] },
  { tenant: "t", deletedAt: null, active: true },
  { tenant: "nobody", deletedAt: null },
];

async function ids(collection: mongoose.mongo.Collection, query: Doc): Promise<string[]> {
  return (await collection.find(query as never).sort({ _id: 1 }).toArray()).map((doc) => String(doc._id));
}

describe("mongo-java-server launcher indexes answer like a scan", function () {
  this.timeout(120_000);
  let database: StartedDatabase;
  let connection: mongoose.Connection;
  let indexed: mongoose.mongo.Collection;
  let plain: mongoose.mongo.Collection;

  before(async function () {
    try {
      database = await startDatabase({ log: () => undefined, config: loadConfig({ ROSTER_DB: "mongo-java-server" }) });
    } catch (err) {
      process.stderr.write(`      skipped: mongo-java-server cannot be started here: ${err instanceof Error ? err.message : String(err)}\n`);
      this.skip();
    }
    connection = await mongoose.createConnection(database.uri, { dbName: "launcher_indexes" }).asPromise();
    indexed = connection.db!.collection("indexed");
    plain = connection.db!.collection("plain");
    await indexed.createIndex({ tenant: 1, userNameKey: 1 }, { unique: true });
    const secondary: Array<Record<string, 1>> = [{ tenant: 1, externalId: 1 }, { tenant: 1, emailKeys: 1 }, { tenant: 1, "enterprise.manager.value": 1 }, { tenant: 1, active: 1, "roster.leaveDate": 1 }];
    for (const keys of secondary) {
      await indexed.createIndex(keys);
    }
    for (const collection of [indexed, plain]) await collection.insertMany(DOCS.map((doc) => ({ ...doc })) as never[]);
  });

  after(async () => {
    await connection?.close();
    await database?.stop();
  });

  const expectSameAnswers = async (): Promise<void> => {
    for (const query of QUERIES) expect(await ids(indexed, query), JSON.stringify(query)).to.deep.equal(await ids(plain, query));
    for (const query of PAGED) {
      for (const order of [1, -1] as const) {
        for (const [skip, limit] of [[0, 1], [0, 5], [3, 4], [10, 100], [0, 100], [55, 10]]) {
          const expected = await scannedPage(plain, query, order, skip, limit);
          for (const collection of [indexed, plain]) {
            const page = (await collection.find(query as never, { sort: { _id: order }, skip, limit, projection: { _id: 1, active: 1 } }).toArray()).map((doc) => String(doc._id));
            expect(page, `${JSON.stringify(query)} order ${order} skip ${skip} limit ${limit}`).to.deep.equal(expected);
          }
        }
      }
    }
    for (const query of COUNTED) {
      const expected = (await plain.find(query as never).toArray()).length;
      for (const collection of [indexed, plain]) expect(await collection.countDocuments(query as never), `count ${JSON.stringify(query)}`).to.equal(expected);
      expect(await indexed.countDocuments(query as never, { skip: 2, limit: 3 }), `count ${JSON.stringify(query)} skip 2 limit 3`).to.equal(Math.max(0, Math.min(3, expected - 2)));
    }
  };

  it("gives each query the scan's answer, before and after writes that move documents between index keys", async () => {
    await expectSameAnswers();
    const writes: Array<(collection: mongoose.mongo.Collection) => Promise<unknown>> = [
      (c) => c.updateMany({ tenant: "t", externalId: "x1" }, { $set: { externalId: "x2" } }),
      (c) => c.updateOne({ _id: "u07" } as never, { $set: { "enterprise.manager.value": "u02" }, $pull: { emailKeys: "a0@x" } } as never),
      (c) => c.replaceOne({ _id: "u08" } as never, { tenant: "t", userNameKey: "user8", externalId: "x9", emailKeys: ["a3@x"], active: true, deletedAt: null }),
      (c) => c.deleteMany({ tenant: "t", emailKeys: "a5@x" }),
      (c) => c.insertOne({ _id: "n1", tenant: "t", userNameKey: "new", externalId: "x1", emailKeys: ["a3@x"], active: true, deletedAt: null } as never),
    ];
    for (const write of writes) {
      await write(indexed);
      await write(plain);
      await expectSameAnswers();
    }
  });

  it("answers like a scan while the background pass fills a new index and writes race it", async () => {
    const big = connection.db!.collection("big");
    const bigPlain = connection.db!.collection("big_plain");
    const many = Array.from({ length: 20_000 }, (_unused, i) => ({ _id: `b${String(i).padStart(5, "0")}`, tenant: i % 2 ? "t" : "o", group: `g${i % 50}`, deletedAt: i % 7 ? null : now }));
    for (const collection of [big, bigPlain]) await collection.insertMany(many.map((doc) => ({ ...doc })) as never[]);
    await big.createIndex({ tenant: 1, group: 1 });
    const queries: Doc[] = [{ tenant: "t", group: "g3" }, { tenant: "t", group: "g4", deletedAt: null }];
    const compare = async (): Promise<void> => {
      for (const query of queries) {
        const expected = await scannedPage(bigPlain, query, 1, 0, 0);
        expect(await ids(big, query), JSON.stringify(query)).to.deep.equal(expected);
        expect(await big.countDocuments({ tenant: "t", group: "g3" }), "count").to.equal(await bigPlain.countDocuments({ tenant: "t", group: "g3" }));
      }
    };
    // the first query starts the pass; each write lands ahead of it, behind it or on documents it has not read
    await compare();
    for (let round = 0; round < 40; round++) {
      const id = `b${String((round * 4999) % 20_000).padStart(5, "0")}`;
      const writes: Array<(collection: mongoose.mongo.Collection) => Promise<unknown>> = [
        (c) => c.updateOne({ _id: id } as never, { $set: { group: round % 2 ? "g3" : "g4", tenant: "t" } }),
        (c) => c.deleteOne({ _id: `b${String((round * 7919 + 3) % 20_000).padStart(5, "0")}` } as never),
        (c) => c.insertOne({ _id: `c${round}`, tenant: "t", group: "g3", deletedAt: null } as never),
        (c) => c.updateMany({ tenant: "t", group: "g3", _id: { $gt: `b${String(round * 400).padStart(5, "0")}`, $lt: `b${String(round * 400 + 60).padStart(5, "0")}` } } as never, { $set: { group: "g4" } }),
      ];
      for (const write of writes) {
        await write(big);
        await write(bigPlain);
      }
      await compare();
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await compare();
  });
});
