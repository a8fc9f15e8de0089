/**
 * tools/mongo-java-server-launcher answers queries from indexes mongo-java-server 1.47 would not
 * use (a unique index whose keys the query pins among other conditions, and non-unique indexes
 * it keeps in memory). Invariant: every query returns what the same query returns on a copy of
 * the collection without indexes (a scan), before and after updates, replaces and deletes.
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
});
