/**
 * One fuzzing session against a running Roster: tenant A (the attacker) sends generated hostile
 * requests; after each one the invariants are checked. Shared by `npm test` (a short seeded run)
 * and `npm run fuzz` (a long one).
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { createTenant, issueToken } from "../../src/services/tenant-admin";
import { encodeQueryValue, fuzzRequest, type FuzzRequest, type FuzzTargets } from "./fuzz-requests";

export interface FuzzOptions {
  /** base URL of the server, without /scim/v2 */
  url: string;
  requests: number;
  seed: number;
  /** progress lines */
  log?: (line: string) => void;
}

export interface Violation {
  index: number;
  request: FuzzRequest;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzReport {
  requests: number;
  seed: number;
  violations: Violation[];
  /** how many answers had each status, to see that the generators reach past validation */
  statuses: Record<string, number>;
  elapsedMs: number;
}

interface Tenant {
  id: string;
  token: string;
}

interface Answer {
  status: number;
  text: string;
}

/** What a response body must never show (SPEC §3 Errors): stack traces, paths, driver messages. */
const LEAKS = /\n\s+at |\bat [^\s"]+ \(|\.(?:js|ts):\d+:\d+|node_modules|MongoServerError|MongoError|MongoNetworkError|MongooseError|E11000|BSONError|CastError|ValidationError|"stack"|Cast to /;

async function send(url: string, tenant: Tenant, request: FuzzRequest): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${tenant.token}` };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
    headers["Content-Type"] = request.contentType ?? "application/scim+json";
  }
  const response = await fetch(`${url}/scim/v2${request.path}`, { method: request.method, headers, body });
  return { status: response.status, text: await response.text() };
}

async function must(url: string, tenant: Tenant, request: FuzzRequest): Promise<any> {
  const answer = await send(url, tenant, request);
  if (answer.status >= 300) throw new Error(`fuzz setup: ${request.method} ${request.path} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text);
}

async function newTenant(prefix: string): Promise<Tenant> {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTenant(id, undefined);
  const { token } = await issueToken(id, "fuzz", "admin", "fuzz-setup");
  return { id, token };
}

/** A few users and a group led by one of them, so PATCH, PUT and DELETE have real targets. */
async function seed(url: string, tenant: Tenant, marker: string): Promise<{ userIds: string[]; groupIds: string[] }> {
  const userIds: string[] = [];
  for (const name of ["ann", "bob", "cid"]) {
    const user = await must(url, tenant, {
      method: "POST",
      path: "/Users",
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `${marker}${name}`, displayName: `${marker}${name}`, emails: [{ value: `${name}@${marker}.example`, type: "work" }], name: { givenName: marker } },
    });
    userIds.push(user.id);
  }
  const group = await must(url, tenant, { method: "POST", path: "/Groups", body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `${marker}team`, members: userIds.map((value) => ({ value })) } });
  return { userIds, groupIds: [group.id] };
}

/** Requests whose answers for tenant B must never change while A is attacking. */
function probes(b: { userIds: string[]; groupIds: string[] }): FuzzRequest[] {
  return [
    { method: "GET", path: "/Users?sortBy=userName" },
    { method: "GET", path: "/Groups" },
    { method: "GET", path: "/Groups?excludedAttributes=members" },
    { method: "GET", path: `/Users/${b.userIds[0]}` },
    { method: "GET", path: `/Groups/${b.groupIds[0]}` },
    { method: "GET", path: `/Users?filter=${encodeQueryValue('emails[type eq "work"]')}&count=2&cursor=` },
  ];
}

function prototypeNames(): string {
  return Object.getOwnPropertyNames(Object.prototype).sort().join(",");
}

/** Runs `requests` generated requests from `seed`; every violated invariant is collected, none stops the run. */
export async function runFuzzSession(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const attackerMarker = `fza${randomUUID().slice(0, 4)}-`;
  const victimMarker = `victim${randomUUID().replace(/-/g, "").slice(0, 12)}-`;
  const a = await newTenant("fuzz-a");
  const b = await newTenant("fuzz-b");
  const own = await seed(options.url, a, attackerMarker);
  const victim = await seed(options.url, b, victimMarker);
  const targets: FuzzTargets = { userIds: own.userIds, groupIds: own.groupIds, foreignUserIds: victim.userIds, foreignGroupIds: victim.groupIds };
  const probeRequests = probes(victim);
  const baseline = await Promise.all(probeRequests.map((probe) => send(options.url, b, probe)));
  const prototypeBefore = prototypeNames();

  const generated = fc.sample(fuzzRequest(targets, attackerMarker), { numRuns: options.requests, seed: options.seed });
  const violations: Violation[] = [];
  const statuses: Record<string, number> = {};
  for (const [index, request] of generated.entries()) {
    const answer = await send(options.url, a, request).catch((error: unknown) => ({ status: 0, text: `request failed: ${String(error)}` }));
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const problems: string[] = [];
    if (answer.status === 0 || answer.status >= 500) problems.push(`status ${answer.status}`);
    const leak = LEAKS.exec(answer.text);
    if (leak) problems.push(`body shows ${JSON.stringify(leak[0])}`);
    if (answer.text.includes(victimMarker)) problems.push("tenant A sees tenant B's data");
    if (prototypeNames() !== prototypeBefore) problems.push(`Object.prototype changed: ${prototypeNames()}`);
    // after every request one of B's probes, all of them every 25 requests and at the end
    const checked = index % 25 === 24 || index === generated.length - 1 ? probeRequests.map((_probe, at) => at) : [index % probeRequests.length];
    for (const at of checked) {
      const now = await send(options.url, b, probeRequests[at]);
      if (now.status !== baseline[at].status || now.text !== baseline[at].text) problems.push(`tenant B's ${probeRequests[at].method} ${probeRequests[at].path} changed: ${now.status} ${now.text.slice(0, 300)}`);
    }
    for (const problem of problems) violations.push({ index, request, status: answer.status, problem, body: answer.text.slice(0, 500) });
    if (problems.length) log(`violation at request ${index} (seed ${options.seed}): ${problems.join("; ")}\n  ${describe(request)}`);
    if ((index + 1) % 100 === 0) log(`${index + 1} requests, ${violations.length} violations`);
  }
  return { requests: generated.length, seed: options.seed, violations, statuses, elapsedMs: Date.now() - started };
}

/** A violating request, short enough for a log line. */
export function describe(request: FuzzRequest): string {
  const body = request.body === undefined ? "" : ` ${typeof request.body === "string" ? JSON.stringify(request.body) : JSON.stringify(request.body)}`;
  const text = `${request.method} ${request.path}${body}`;
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
