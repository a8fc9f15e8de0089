import { lookupValue } from "./floor";
import type { Seeded } from "./seed";

const SCIM_JSON = "application/scim+json";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const COUNTER = /^roster_db_command_duration_seconds_count\{([^}]*)\}\s+([0-9.eE+-]+)$/;
/** a token found live is trusted this long (src/store/token-store.ts LIVE_TOKEN_TRUST_MS, 500 ms), so waiting past it makes each request authenticate against the database */
const PAST_TOKEN_TRUST_MS = 650;
/** the event-delivery job's period (ROSTER_EVENT_INTERVAL_MS, default 1,000 ms; the bench leaves it at that), the busiest background job */
const BACKGROUND_PERIOD_MS = 1000;

/** Database commands per request of one kind, from the server's own `/metrics` (driver command monitoring). */
export interface OperationCount {
  key: string;
  label: string;
  /** requests per measured window */
  requests: number;
  repeats: number;
  /** commands per request, by command name (find, insert, update, aggregate, …), background subtracted */
  byCommand: Record<string, number>;
  total: number;
  /** what the idle windows counted per window, summed over the repeats: the background jobs and the scrapes themselves */
  background: Record<string, number>;
}

export const OPERATIONS_METHOD =
  "Each kind: a scrape of `/metrics` (`roster_db_command_duration_seconds_count`, by command), N requests one after another, a wait to the next whole second (the event-delivery job runs every second, so each window holds as many of its ticks), a scrape; then an idle window of the same length between two scrapes, subtracted (the background jobs, event delivery every second and the sweep every 10 s, and the scrapes' own gauge reads run in both). Repeated three times; each command's median net count over the repeats (never below 0), divided by N, is the figure (a burst of the background in one window, idle or not, moves only one repeat).";

async function scrape(url: string, metricsToken: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text.slice(0, 200)}`);
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = COUNTER.exec(line.trim());
    if (!match) continue;
    const command = /command="([^"]*)"/.exec(match[1])?.[1] ?? "?";
    counts.set(command, (counts.get(command) ?? 0) + Number(match[2]));
  }
  return counts;
}

function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [command, value] of after) result.set(command, value - (before.get(command) ?? 0));
  return result;
}

interface Kind {
  key: string;
  label: string;
  requests: number;
  /** before each request, untimed (the cold-token lookups wait out the token's trust) */
  pauseMs?: number;
  /** request number `run` of repeat `repeat` */
  send(run: number, repeat: number): Promise<void>;
}

/** Counts the database commands of `kind.requests` requests, background subtracted, the median over `repeats`. */
async function count(url: string, metricsToken: string, kind: Kind, repeats: number): Promise<OperationCount> {
  const nets: Array<Map<string, number>> = [];
  const background: Record<string, number> = {};
  for (let repeat = 0; repeat < repeats; repeat++) {
    const before = await scrape(url, metricsToken);
    const started = Date.now();
    for (let run = 0; run < kind.requests; run++) {
      if (kind.pauseMs) await sleep(kind.pauseMs);
      await kind.send(run, repeat);
    }
    // a window of whole background periods holds as many event-delivery ticks as the idle one
    const elapsed = Math.ceil((Date.now() - started) / BACKGROUND_PERIOD_MS) * BACKGROUND_PERIOD_MS;
    await sleep(started + elapsed - Date.now());
    const work = difference(await scrape(url, metricsToken), before);
    const idleBefore = await scrape(url, metricsToken);
    await sleep(elapsed);
    const idle = difference(await scrape(url, metricsToken), idleBefore);
    for (const [command, value] of idle) if (value) background[command] = (background[command] ?? 0) + value;
    const net = new Map<string, number>();
    for (const command of new Set([...work.keys(), ...idle.keys()])) net.set(command, (work.get(command) ?? 0) - (idle.get(command) ?? 0));
    nets.push(net);
  }
  const byCommand: Record<string, number> = {};
  for (const command of new Set(nets.flatMap((net) => [...net.keys()]))) {
    const sorted = nets.map((net) => net.get(command) ?? 0).sort((a, b) => a - b);
    const median = Math.max(0, sorted[Math.floor(sorted.length / 2)]);
    if (median > 0) byCommand[command] = median / kind.requests;
  }
  const total = Object.values(byCommand).reduce((sum, value) => sum + value, 0);
  return { key: kind.key, label: kind.label, requests: kind.requests, repeats, byCommand, total, background };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(url: string, token: string, method: string, path: string, body: unknown, expect: number[]): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": SCIM_JSON, accept: SCIM_JSON },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * The database operations per request of each kind an identity provider sends by the thousand
 * (issue #9: ≤ 2 per lookup, authentication included; constant for a leader's cascade however
 * many reports), counted by the running server itself. The users it deactivates are created here
 * through SCIM first (their POSTs are counted as the POST kind): plain users, leaders with 20
 * reports and leaders with 1.
 */
export async function countOperations(url: string, token: string, metricsToken: string, seeded: Seeded, log: (message: string) => void): Promise<OperationCount[]> {
  const tag = `ops${Date.now().toString(36)}`;
  const repeats = 3;
  let created = 0;
  const postUser = async (manager?: string): Promise<string> => {
    const userName = `${tag}.${created++}@example.com`;
    const body = await send(url, token, "POST", "/scim/v2/Users", {
      schemas: [CORE_USER, ENTERPRISE_USER],
      userName,
      externalId: `${tag}-${created}`,
      name: { givenName: "Count", familyName: `Ops ${created}` },
      emails: [{ value: userName, type: "work", primary: true }],
      active: true,
      [ENTERPRISE_USER]: { department: "Engineering", manager: { value: manager ?? seeded.userIds[0] } },
    }, [201]);
    return body.id as string;
  };
  const lookup = (kind: "userName" | "externalId" | "email") => (run: number, repeat: number) => {
    const attribute = kind === "email" ? "emails.value" : kind;
    return send(url, token, "GET", `/scim/v2/Users?filter=${encodeURIComponent(`${attribute} eq "${lookupValue(seeded, kind, 3000 + repeat * 100 + run)}"`)}`, undefined, [200]);
  };
  const memberAdd = (groupId: string, candidates: string[]) => (run: number, repeat: number) =>
    send(url, token, "PATCH", `/scim/v2/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: candidates[candidates.length - 20 - repeat * 50 - run] }] }] }, [200, 204]);
  const deactivate = (ids: string[][]) => (run: number, repeat: number) =>
    send(url, token, "PATCH", `/scim/v2/Users/${ids[repeat][run]}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] }, [200]);

  const plain: string[][] = [];
  const leaders20: string[][] = [];
  const leaders1: string[][] = [];
  const leadersPerRepeat = 4;
  const plainPerRepeat = 5;
  const posted: string[][] = [];
  const results: OperationCount[] = [];
  const kinds: Kind[] = [
    { key: "userName", label: "filter userName eq (token trusted: authentication's reads counted as they happen, at most once per 500 ms)", requests: 20, send: lookup("userName") },
    { key: "userNameColdToken", label: `filter userName eq, token not trusted yet (${PAST_TOKEN_TRUST_MS} ms apart: authentication reads the database)`, requests: 8, pauseMs: PAST_TOKEN_TRUST_MS, send: lookup("userName") },
    { key: "externalId", label: "filter externalId eq", requests: 20, send: lookup("externalId") },
    { key: "email", label: "filter emails.value eq", requests: 20, send: lookup("email") },
    { key: "firstPage", label: "first list page (count=100)", requests: 10, send: () => send(url, token, "GET", "/scim/v2/Users?startIndex=1&count=100", undefined, [200]) },
    {
      key: "postUser",
      label: "POST user (with a manager)",
      requests: plainPerRepeat,
      send: async (_run, repeat) => {
        (posted[repeat] ??= []).push(await postUser());
      },
    },
    { key: "memberAddBig", label: `member-add PATCH, ${seeded.bigGroupSize.toLocaleString("en-US")}-member group`, requests: 10, send: memberAdd(seeded.bigGroupId, seeded.bigGroupAddCandidates) },
    { key: "memberAddSmall", label: `member-add PATCH, ${seeded.smallGroupSize}-member group`, requests: 10, send: memberAdd(seeded.smallGroupId, seeded.smallGroupAddCandidates) },
  ];
  for (const kind of kinds) {
    results.push(await count(url, metricsToken, kind, repeats));
    log(`  ${describeCount(results[results.length - 1])}`);
  }
  // the users to deactivate: the POSTed ones above, and leaders made here
  plain.push(...posted);
  for (let repeat = 0; repeat < repeats; repeat++) {
    leaders20.push([]);
    leaders1.push([]);
    for (let k = 0; k < leadersPerRepeat; k++) {
      const leader = await postUser();
      for (let r = 0; r < 20; r++) await postUser(leader);
      leaders20[repeat].push(leader);
      const small = await postUser();
      await postUser(small);
      leaders1[repeat].push(small);
    }
  }
  const deactivations: Kind[] = [
    { key: "deactivate", label: "deactivate PATCH (no reports)", requests: plainPerRepeat, send: deactivate(plain) },
    { key: "deactivateLeader", label: "deactivate PATCH, leader with 20 reports", requests: leadersPerRepeat, send: deactivate(leaders20) },
    { key: "deactivateLeader1", label: "deactivate PATCH, leader with 1 report", requests: leadersPerRepeat, send: deactivate(leaders1) },
  ];
  for (const kind of deactivations) {
    results.push(await count(url, metricsToken, kind, repeats));
    log(`  ${describeCount(results[results.length - 1])}`);
  }
  return results;
}

export function describeCommands(count: OperationCount): string {
  const parts = Object.entries(count.byCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([command, value]) => `${command} ${round(value)}`);
  return parts.length ? parts.join(", ") : "none";
}

export function describeCount(count: OperationCount): string {
  return `${count.label}: ${round(count.total)} database operations per request (${describeCommands(count)})`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
