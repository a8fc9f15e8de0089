import autocannon from "autocannon";
import { encodeCursor } from "../src/scim/cursor";
import { lookupValue } from "./floor";
import { LEADER_REPORTS, type Seeded } from "./seed";

const SCIM_JSON = "application/scim+json";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export interface HttpScenario {
  key: string;
  label: string;
  method: "GET" | "POST" | "PATCH";
  /** path (with query) of the request number `sequence` */
  path(sequence: number): string;
  body?(sequence: number): string;
  /** bounded by request count instead of duration (scenarios that use up their targets) */
  amount?: number;
  /** statuses that count as success */
  expect: number[];
}

export interface HttpResult {
  key: string;
  label: string;
  completed: number;
  ok: number;
  /** unexpected statuses, e.g. { "500": 3 } */
  unexpected: Record<string, number>;
  firstUnexpectedBody?: string;
  errors: number;
  timeouts: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** how the run was bounded: "<n> requests" or "<d> s" */
  mode: string;
  /** a request-bound run that hit the time guard (requests still in flight were dropped) */
  stoppedByGuard: boolean;
}

const usersPath = "/scim/v2/Users";
const groupsPath = "/scim/v2/Groups";
const eq = (attribute: string, value: string) => `${usersPath}?filter=${encodeURIComponent(`${attribute} eq "${value}"`)}`;

/** Positions near 90% of the list, one per request, so a deep page is never the same page twice in a row. */
function deepIndexes(users: number, count: number): number[] {
  const base = Math.floor(users * 0.9);
  return Array.from({ length: count }, (_, k) => base - k * 7);
}

/** The request mix of the issue, drawn from the seeded tenant. */
export function buildScenarios(seeded: Seeded, runTag: string): HttpScenario[] {
  const deep = deepIndexes(seeded.users, 500);
  const pick = <T>(items: T[], sequence: number): T => items[sequence % items.length];
  const memberAdd = (ids: string[]) => (sequence: number) =>
    JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: pick(ids, sequence) }] }] });
  const deactivate = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
  return [
    { key: "userName", label: "filter userName eq", method: "GET", path: (s) => eq("userName", lookupValue(seeded, "userName", s)), expect: [200] },
    { key: "externalId", label: "filter externalId eq", method: "GET", path: (s) => eq("externalId", lookupValue(seeded, "externalId", s)), expect: [200] },
    { key: "email", label: "filter emails.value eq", method: "GET", path: (s) => eq("emails.value", lookupValue(seeded, "email", s)), expect: [200] },
    { key: "firstPage", label: "first list page (count=100)", method: "GET", path: () => `${usersPath}?startIndex=1&count=100`, expect: [200] },
    { key: "deepIndex", label: `page at startIndex≈${Math.floor(seeded.users * 0.9).toLocaleString("en-US")} (index)`, method: "GET", path: (s) => `${usersPath}?startIndex=${pick(deep, s)}&count=100`, expect: [200] },
    { key: "firstCursor", label: "first cursor page (cursor=)", method: "GET", path: () => `${usersPath}?cursor=&count=100`, expect: [200] },
    {
      key: "deepCursor",
      label: `cursor page at ≈${Math.floor(seeded.users * 0.9).toLocaleString("en-US")} (nextCursor)`,
      method: "GET",
      path: (s) => {
        const id = seeded.userIds[pick(deep, s) - 2];
        return `${usersPath}?cursor=${encodeCursor("_id", 1, id, id)}&count=100`;
      },
      expect: [200],
    },
    { key: "groupBigNoMembers", label: `GET group (${seeded.bigGroupSize.toLocaleString("en-US")} members) excludedAttributes=members`, method: "GET", path: () => `${groupsPath}/${seeded.bigGroupId}?excludedAttributes=members`, expect: [200] },
    { key: "groupSmallNoMembers", label: `GET group (${seeded.smallGroupSize} members) excludedAttributes=members`, method: "GET", path: () => `${groupsPath}/${seeded.smallGroupId}?excludedAttributes=members`, expect: [200] },
    {
      key: "postUser",
      label: "POST user",
      method: "POST",
      path: () => usersPath,
      body: (s) => {
        const userName = `new.hire.${runTag}.${s}@example.com`;
        return JSON.stringify({
          schemas: [CORE_USER, ENTERPRISE_USER],
          userName,
          externalId: `${runTag}-${s}`,
          name: { givenName: "New", familyName: `Hire ${s}` },
          displayName: `New Hire ${s}`,
          emails: [{ value: userName, type: "work", primary: true }],
          active: true,
          [ENTERPRISE_USER]: { employeeNumber: `N${s}`, department: "Engineering", manager: { value: seeded.userIds[0] } },
        });
      },
      expect: [201],
    },
    { key: "memberAddBig", label: `member-add PATCH, ${seeded.bigGroupSize.toLocaleString("en-US")}-member group`, method: "PATCH", path: () => `${groupsPath}/${seeded.bigGroupId}`, body: memberAdd(seeded.bigGroupAddCandidates), expect: [204, 200] },
    { key: "memberAddSmall", label: `member-add PATCH, ${seeded.smallGroupSize}-member group`, method: "PATCH", path: () => `${groupsPath}/${seeded.smallGroupId}`, body: memberAdd(seeded.smallGroupAddCandidates), expect: [204, 200] },
    { key: "deactivate", label: "deactivate PATCH (no reports)", method: "PATCH", path: (s) => `${usersPath}/${pick(seeded.plainDeactivateIds, s)}`, body: () => deactivate, amount: seeded.plainDeactivateIds.length, expect: [200] },
    { key: "deactivateLeader", label: `deactivate PATCH, leader with ${LEADER_REPORTS} reports`, method: "PATCH", path: (s) => `${usersPath}/${pick(seeded.leaderIds, s)}`, body: () => deactivate, amount: seeded.leaderIds.length, expect: [200] },
  ];
}

/**
 * Chooses how many requests a scenario sends so it lasts about `durationSeconds`,
 * from the latency of one request alone: a run bounded by count waits for every
 * request it sent, where a run bounded by time drops the ones still in flight,
 * which on a slow database are exactly the slow ones.
 */
export function requestsFor(singleLatencyMs: number, durationSeconds: number, connections: number, parallelism: number): number {
  const perSecond = (parallelism * 1000) / Math.max(singleLatencyMs, 0.1);
  return Math.round(Math.min(50_000, Math.max(connections * 2, perSecond * durationSeconds)));
}

/** One request of a scenario on its own (sequence numbers far from the run's), for {@link requestsFor}. */
export async function probeScenario(baseUrl: string, token: string, scenario: HttpScenario, sequence: number): Promise<number> {
  const begun = process.hrtime.bigint();
  const response = await fetch(`${baseUrl}${scenario.path(sequence)}`, {
    method: scenario.method,
    headers: { authorization: `Bearer ${token}`, "content-type": SCIM_JSON, accept: SCIM_JSON },
    body: scenario.body?.(sequence),
  });
  await response.arrayBuffer();
  return Number(process.hrtime.bigint() - begun) / 1e6;
}

/**
 * Untimed requests of a read scenario before the timed runs (at most `requests`, for at most
 * `maxMs`, `concurrency` at a time): the server's JIT compiles the request path here instead of
 * inside the first scenario's figures (the first lookups measured ×2-3 the CPU of the later ones).
 * Sequence numbers far from the run's; only reads, so the tenant does not change.
 */
export async function warmUpScenario(baseUrl: string, token: string, scenario: HttpScenario, options: { requests: number; maxMs: number; concurrency: number }): Promise<number> {
  const deadline = Date.now() + options.maxMs;
  let sent = 0;
  const client = async () => {
    while (sent < options.requests && Date.now() < deadline) await probeScenario(baseUrl, token, scenario, 2_000_000 + sent++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return sent;
}

/** Runs one scenario with autocannon at a fixed concurrency; every request gets its own value. */
export function runScenario(
  baseUrl: string,
  token: string,
  scenario: HttpScenario,
  options: { connections: number; durationSeconds: number; timeoutSeconds: number; maxSeconds: number; amount?: number },
): Promise<HttpResult> {
  let sequence = 0;
  const unexpected: Record<string, number> = {};
  let firstUnexpectedBody: string | undefined;
  let ok = 0;
  let stoppedByGuard = false;
  const amount = scenario.amount ?? options.amount;
  const headers = { authorization: `Bearer ${token}`, "content-type": SCIM_JSON, accept: SCIM_JSON };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: amount !== undefined ? Math.min(options.connections, amount) : options.connections,
        ...(amount !== undefined ? { amount } : { duration: options.durationSeconds }),
        timeout: options.timeoutSeconds,
        headers,
        requests: [
          {
            method: scenario.method,
            setupRequest: (request) => {
              const current = sequence++;
              return { ...request, method: scenario.method, path: scenario.path(current), headers, ...(scenario.body ? { body: scenario.body(current) } : {}) };
            },
            onResponse: (status, body) => {
              if (scenario.expect.includes(status)) ok++;
              else {
                unexpected[status] = (unexpected[status] ?? 0) + 1;
                firstUnexpectedBody ??= String(body).slice(0, 300);
              }
            },
          },
        ],
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) return reject(error);
        const completed = result.requests.total;
        resolve({
          key: scenario.key,
          label: scenario.label,
          completed,
          ok,
          unexpected,
          firstUnexpectedBody,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: result.duration,
          perSecond: completed / result.duration,
          p50: completed ? result.latency.p50 : NaN,
          p99: completed ? result.latency.p99 : NaN,
          max: completed ? result.latency.max : NaN,
          mode: amount !== undefined ? `${amount} requests` : `${options.durationSeconds} s`,
          stoppedByGuard,
        });
      },
    );
    // a count-bound scenario still ends: the run stays bounded in time
    const guard = setTimeout(() => {
      stoppedByGuard = true;
      (instance as unknown as { stop(): void }).stop();
    }, options.maxSeconds * 1000);
  });
}
