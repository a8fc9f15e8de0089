/**
 * `node dist/bench/request-cpu.js [seconds] [rounds] [KEY=VALUE…]`: the server's CPU per
 * request for one cheap request, a `userName eq` lookup, so that a change on every
 * request's path (request metrics, command monitoring) shows its cost (issue #9).
 * Starts the database chain and `node dist/src/main.js` with the given environment,
 * seeds 200 users, warms up, then runs `rounds` autocannon runs of `seconds` each
 * and prints the server's user+system CPU per request of each run and their median.
 */
import mongoose from "mongoose";
import { loadConfig } from "../src/config/load-config";
import { createTenant, issueToken } from "../src/services/tenant-admin";
import { startDatabase } from "../src/store/database/start-database";
import { ensureIndexes, UserModel } from "../src/store/models";
import { newId } from "../src/store/new-id";
import { cpuSeconds } from "./process-cpu";
import { runScenario, type HttpScenario } from "./scenarios";
import { userDoc } from "./seed";
import { startServerProcess } from "./server-process";

const DATABASE_NAME = "roster_request_cpu";
const USERS = 200;
const CONNECTIONS = 10;

async function main(): Promise<void> {
  const [secondsArg, roundsArg, ...envArgs] = process.argv.slice(2);
  const seconds = Number(secondsArg ?? 10);
  const rounds = Number(roundsArg ?? 3);
  const extraEnv = Object.fromEntries(envArgs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
  const database = await startDatabase({ log: () => undefined, config: loadConfig({ MONGODB_URI: process.env.MONGODB_URI, MONGOMS_SYSTEM_BINARY: process.env.MONGOMS_SYSTEM_BINARY }) });
  try {
    await mongoose.connect(database.uri, { dbName: DATABASE_NAME, serverSelectionTimeoutMS: 15_000 });
    await mongoose.connection.db!.dropDatabase();
    await ensureIndexes();
    const tenant = `cpu-${newId().slice(0, 8)}`;
    await createTenant(tenant, undefined);
    const { token } = await issueToken(tenant, "bench", "bench", "bench");
    const now = new Date();
    const users = Array.from({ length: USERS }, (_, i) => userDoc(tenant, newId(), i, undefined, now));
    await UserModel.insertMany(users);
    const userNames = users.map((user) => user.userName);
    const lookup: HttpScenario = {
      key: "lookup",
      label: "userName eq",
      method: "GET",
      path: (sequence) => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userNames[sequence % userNames.length]}"`)}`,
      expect: [200],
    };
    const server = await startServerProcess(database.uri, DATABASE_NAME, extraEnv);
    try {
      const options = { connections: CONNECTIONS, durationSeconds: seconds, timeoutSeconds: 10, maxSeconds: seconds * 3 };
      await runScenario(server.url, token, lookup, { ...options, durationSeconds: 3 });
      const perRequest: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const before = cpuSeconds(server.pid)!;
        const result = await runScenario(server.url, token, lookup, options);
        const used = cpuSeconds(server.pid)! - before;
        if (result.ok !== result.completed) throw new Error(`unexpected answers: ${JSON.stringify(result.unexpected)} ${result.firstUnexpectedBody}`);
        perRequest.push((used * 1000) / result.completed);
        process.stdout.write(`round ${round + 1}: ${result.completed} requests, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50} ms, server CPU ${((used * 1000) / result.completed).toFixed(3)} ms/request\n`);
      }
      const sorted = [...perRequest].sort((a, b) => a - b);
      process.stdout.write(`median server CPU per request: ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} ms (env ${JSON.stringify(extraEnv)})\n`);
    } finally {
      await server.stop();
    }
  } finally {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
