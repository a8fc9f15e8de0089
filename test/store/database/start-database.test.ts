import { expect } from "chai";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { loadConfig } from "../../../src/config/load-config";
import { startDatabase, StartDatabaseOptions, StartedDatabase } from "../../../src/store/database/start-database";
import { testDatabaseKind, testDatabaseUri } from "../../support/root-hooks";

const DB_NAME = "roster_start_database_test";

function collectLog(): { lines: string[]; log: (msg: string) => void } {
  const lines: string[] = [];
  return { lines, log: (msg) => lines.push(msg) };
}

async function withConnection<T>(uri: string, use: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const connection = await mongoose
    .createConnection(uri, { dbName: DB_NAME, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  try {
    return await use(connection.db as mongoose.mongo.Db);
  } finally {
    await connection.close();
  }
}

/** Starts a database, or skips the test with a printed reason when the backend is absent here. */
async function startOrSkip(context: Mocha.Context, options: StartDatabaseOptions): Promise<StartedDatabase> {
  try {
    return await startDatabase(options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/is not installed|no cached launcher/.test(message)) {
      process.stderr.write(`      skipped: ${message}\n`);
      context.skip();
    }
    throw err;
  }
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("startDatabase", function () {
  it("gives the run a database that accepts a write and a read", async function () {
    const key = crypto.randomUUID();
    await withConnection(testDatabaseUri(), async (db) => {
      await db.collection("probe").insertOne({ key, kind: testDatabaseKind() });
      const found = await db.collection("probe").findOne({ key });
      expect(found).to.include({ key, kind: testDatabaseKind() });
    });
  });

  it("uses MONGODB_URI as is, hides its password in the log and leaves it running on stop [external]", async function () {
    const { lines, log } = collectLog();
    const uri = testDatabaseUri().replace("mongodb://", "mongodb://roster:s3cret@");
    const database = await startDatabase({ log, config: loadConfig({ MONGODB_URI: uri }) });
    expect(database.kind).to.equal("external");
    expect(database.uri).to.equal(uri);
    await database.stop();
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^database: external/).and.not.include("s3cret");
    expect(await withConnection(testDatabaseUri(), (db) => db.command({ ping: 1 }))).to.include({ ok: 1 });
  });

  it("skips mongodb-memory-server with the reason when MONGOMS_SYSTEM_BINARY does not exist", async function () {
    const missing = path.join(os.tmpdir(), "roster-no-such-mongod");
    const attempt = startDatabase({
      log: () => undefined,
      config: loadConfig({ ROSTER_DB: "mongodb-memory-server", MONGOMS_SYSTEM_BINARY: missing }),
    });
    await attempt.then(
      () => expect.fail("mongodb-memory-server started without a binary"),
      (err: Error) => expect(err.message).to.include(`MONGOMS_SYSTEM_BINARY=${missing} does not exist`),
    );
  });

  it("keeps data across a restart on a persistent dataDir and logs one line naming the choice", async function () {
    this.timeout(300_000);
    const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-data-"));
    // a missing MONGOMS_SYSTEM_BINARY makes the skip reason predictable on every machine
    const config = loadConfig({ MONGOMS_SYSTEM_BINARY: path.join(dataDir, "no-mongod") });
    const key = crypto.randomUUID();
    try {
      const first = collectLog();
      let database = await startDatabase({ dataDir, log: first.log, config });
      const choice = first.lines.filter((line) => line.startsWith("database: "));
      expect(choice).to.have.length(1);
      expect(choice[0]).to.include(`database: ${database.kind}`).and.include("MONGODB_URI is not set");
      if (!database.persistent) {
        await database.stop();
        process.stderr.write(`      skipped: ${database.kind} keeps data in memory only\n`);
        this.skip();
      }
      await withConnection(database.uri, (db) => db.collection("restart").insertOne({ key }));
      await database.stop();

      database = await startDatabase({ dataDir, log: () => undefined, config });
      try {
        const found = await withConnection(database.uri, (db) => db.collection("restart").findOne({ key }));
        expect(found).to.include({ key });
      } finally {
        await database.stop();
      }
    } finally {
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps serving FerretDB data an earlier default left in the data directory [mongo-java-server skipped]", async function () {
    this.timeout(120_000);
    const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-upgrade-"));
    const config = loadConfig({ MONGOMS_SYSTEM_BINARY: path.join(dataDir, "no-mongod") });
    const key = crypto.randomUUID();
    try {
      const old = await startOrSkip(this, { dataDir, log: () => undefined, config: loadConfig({ ROSTER_DB: "ferretdb" }) });
      await withConnection(old.uri, (db) => db.collection("kept").insertOne({ key }));
      await old.stop();

      const { lines, log } = collectLog();
      const database = await startDatabase({ dataDir, log, config });
      try {
        expect(database.kind).to.equal("ferretdb");
        expect(lines.join("\n")).to.include("mongo-java-server: ").and.include("holds FerretDB data");
        expect(await withConnection(database.uri, (db) => db.collection("kept").findOne({ key }))).to.include({ key });
      } finally {
        await database.stop();
      }
    } finally {
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops the chain when another process holds the H2 data file, instead of starting another database", async function () {
    this.timeout(120_000);
    const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-held-"));
    const config = loadConfig({ MONGOMS_SYSTEM_BINARY: path.join(dataDir, "no-mongod") });
    try {
      const holder = await startOrSkip(this, { dataDir, log: () => undefined, config: loadConfig({ ROSTER_DB: "mongo-java-server" }) });
      try {
        await startDatabase({ dataDir, log: () => undefined, config }).then(
          async (second) => {
            await second.stop();
            expect.fail(`a second database started on a held data directory: ${second.kind}`);
          },
          (err: Error) => expect(err.message).to.match(/^mongo-java-server: .*roster\.mv\.db is in use by another mongo-java-server/),
        );
      } finally {
        await holder.stop();
      }
    } finally {
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops FerretDB when the process that started it is killed [SIGKILL]", async function () {
    this.timeout(120_000);
    const modulePath = path.join(__dirname, "../../../src/store/database/start-database.js");
    // a dataDir of ours: the killed parent cannot remove a temporary one
    const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-orphan-"));
    after(() => fs.promises.rm(dataDir, { recursive: true, force: true }));
    const script = `
      const { startDatabase } = require(${JSON.stringify(modulePath)});
      const dataDir = ${JSON.stringify(dataDir)};
      startDatabase({ dataDir, log: () => {}, config: { embeddedDatabase: "ferretdb" } }).then(
        (db) => console.log("URI " + db.uri),
        (err) => { console.log("ERROR " + err.message); process.exit(0); });
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.once("exit", (code) => reject(new Error(`the child exited (${code}) before reporting`)));
    });
    if (firstLine.startsWith("ERROR ")) {
      process.stderr.write(`      skipped: FerretDB is not available here: ${firstLine.slice(6)}\n`);
      this.skip();
    }
    const port = Number(/:(\d+)\/$/.exec(firstLine)?.[1]);
    expect(await portAccepts(port)).to.equal(true);

    child.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while ((await portAccepts(port)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await portAccepts(port), "FerretDB still listens after its parent died").to.equal(false);
  });

  it("starts mongo-java-server on a temporary H2 file without a dataDir [ROSTER_DB=mongo-java-server]", async function () {
    // the first run builds the launcher with Maven (downloads from Maven Central)
    this.timeout(600_000);
    const { lines, log } = collectLog();
    const database = await startOrSkip(this, { log, config: loadConfig({ ROSTER_DB: "mongo-java-server" }) });
    try {
      expect(database.kind).to.equal("mongo-java-server");
      expect(database.persistent).to.equal(false);
      expect(lines.join("\n")).to.include("database: mongo-java-server").and.include("forced by ROSTER_DB");
      const key = crypto.randomUUID();
      const found = await withConnection(database.uri, async (db) => {
        await db.collection("probe").insertOne({ key, n: 1 });
        await db.collection("probe").updateOne({ key }, { $inc: { n: 1 } });
        return db.collection("probe").findOne({ key });
      });
      expect(found).to.include({ key, n: 2 });
    } finally {
      await database.stop();
    }
  });
});
