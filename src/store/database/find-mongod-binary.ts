import dns from "node:dns";
import fs from "node:fs";
import { DryMongoBinary } from "mongodb-memory-server";
import { DatabaseUnavailable } from "./database-unavailable";

/** how mongodb-memory-server will get its mongod */
export type MongodSource = { kind: "system"; path: string } | { kind: "cached"; path: string } | { kind: "download" };

const DOWNLOAD_HOST = "fastdl.mongodb.org";
const DOWNLOAD_PROBE_MS = 3000;

/**
 * Decides whether mongodb-memory-server can work here without trying it: a
 * `MONGOMS_SYSTEM_BINARY`, a mongod already in its cache (`~/.cache/mongodb-binaries`,
 * `node_modules/.cache/mongodb-memory-server`, …; `npm ci` fills it on machines with
 * internet), or a download host that resolves within 3 s. Otherwise throws
 * {@link DatabaseUnavailable}, so offline machines never wait on a download.
 */
export async function findMongodBinary(systemBinary: string | undefined): Promise<MongodSource> {
  if (systemBinary !== undefined && systemBinary !== "") {
    if (!fs.existsSync(systemBinary)) {
      throw new DatabaseUnavailable(`MONGOMS_SYSTEM_BINARY=${systemBinary} does not exist`);
    }
    return { kind: "system", path: systemBinary };
  }
  const cached = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions()).catch(() => undefined);
  if (cached !== undefined) return { kind: "cached", path: cached };
  if (!(await resolvesInTime(DOWNLOAD_HOST, DOWNLOAD_PROBE_MS))) {
    throw new DatabaseUnavailable("no mongod binary cached and downloads are not possible offline");
  }
  return { kind: "download" };
}

function resolvesInTime(host: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    dns.lookup(host, (err) => {
      clearTimeout(timer);
      resolve(!err);
    });
  });
}
