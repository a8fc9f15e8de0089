import type { Seeded } from "./seed";
import { UserModel } from "../src/store/models";

/** Latency figures in milliseconds, throughput in operations per second. */
export interface Measured {
  completed: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * A closed loop like the load generator's: `concurrency` workers each issue one
 * operation after another until `durationMs` has passed (or `maxOperations` ran).
 */
export async function closedLoop(concurrency: number, durationMs: number, operation: (sequence: number) => Promise<unknown>, maxOperations = Infinity): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < deadline && next < maxOperations) {
      const sequence = next++;
      const begun = process.hrtime.bigint();
      try {
        await operation(sequence);
        latencies.push(Number(process.hrtime.bigint() - begun) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { completed: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? NaN };
}

export type LookupKind = "userName" | "externalId" | "email";

/** The query the database needs for one SCIM lookup, as Roster's shadow keys store it. */
export function floorQuery(tenant: string, kind: LookupKind, value: string): Record<string, unknown> {
  switch (kind) {
    case "userName":
      return { tenant, userNameKey: value.toLowerCase() };
    case "externalId":
      return { tenant, externalId: value };
    case "email":
      return { tenant, emailKeys: value.toLowerCase() };
  }
}

export function lookupValue(seeded: Pick<Seeded, "lookups">, kind: LookupKind, sequence: number): string {
  const user = seeded.lookups[sequence % seeded.lookups.length];
  return kind === "userName" ? user.userName : kind === "externalId" ? user.externalId : user.email;
}

/** The database's own floor: the same lookup straight through the MongoDB driver, no HTTP, no Roster. */
export async function measureFloor(seeded: Pick<Seeded, "tenant" | "lookups">, kind: LookupKind, concurrency: number, durationMs: number, offset = 0): Promise<Measured> {
  const collection = UserModel.collection;
  return closedLoop(concurrency, durationMs, async (sequence) => {
    const found = await collection.findOne(floorQuery(seeded.tenant, kind, lookupValue(seeded, kind, sequence + offset)) as never);
    if (!found) throw new Error("floor lookup found nothing");
  });
}
