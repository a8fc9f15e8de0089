import type { Breakdown, SizeSnapshot } from "./diagnose";
import type { LookupKind, Measured } from "./floor";
import type { BenchOptions } from "./options";
import type { PeerRun, PeerScenarioRun } from "./peers/run-peers";
import type { HttpResult } from "./scenarios";
import type { RssSample } from "./server-process";

export interface ScenarioRun extends HttpResult {
  /** CPU seconds used during the scenario by the server process, the database process and the bench (load generator) */
  cpu: { server?: number; database?: number; bench: number; machineBusy?: number; machineTotal?: number };
  /** latency of one request alone, before the run (sizes the run) */
  probeMs?: number;
}

type Timing = { runs: number; p50: number; max: number };

export interface BenchRun {
  command: string;
  date: string;
  totalSeconds: number;
  /** wall seconds of each part of the run, in order */
  phases?: Array<[string, number]>;
  /** untimed requests of each read scenario before the timed runs (runs before it was added had none) */
  warmUp?: { requests: number; maxMs: number; concurrency: number };
  options: BenchOptions;
  machine: { cpu: string; cores: number; memoryGb: number; node: string; os: string; loadAtStart: number[]; loadAtEnd: number[] };
  database: { kind: string; detail: string; version: string; pidFound: boolean };
  seeded: { users: number; groups: number; memberships: number; bigGroupSize: number; smallGroupSize: number; leaders: number; plainDeactivations: number; seconds: number };
  floor: Record<LookupKind, Measured>;
  /** the database alone, one operation at a time, at several tenant sizes (a tenth, the run's, the issue's) */
  sizes: SizeSnapshot[];
  /** the tenant grown after the scenarios to time the database at the issue's size */
  grown?: { users: number; seconds: number };
  explains: Record<string, string>;
  scenarios: ScenarioRun[];
  rss: RssSample[];
  diagnostics?: {
    http: Record<"userName" | "firstPage" | "groupBig" | "groupSmall" | "memberAddBig" | "memberAddSmall", Timing>;
    breakdown: Breakdown[];
  };
  /** `--peers`: the same scenarios on other SCIM servers, each alone after Roster's */
  peers?: { roster: PeerScenarioRun[]; runs: PeerRun[]; seconds: number };
}

/** The issue's side-by-side target: Roster's throughput over each peer's, per scenario. */
const PEER_RATIO_GOAL = 5;

interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
  cause?: string;
}

const n = (value: number) => value.toLocaleString("en-US");

function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (Math.abs(value) >= 100) return n(Math.round(value));
  return value.toFixed(digits);
}

function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (value >= 100_000) return `${n(Math.round(value / 1000))} s`;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${fmt(value)} ms`;
}

const LOOKUP_LABEL: Record<LookupKind, string> = { userName: "userName eq", externalId: "externalId eq", email: "emails.value eq" };
const LOOKUP_INDEX: Record<LookupKind, string> = {
  userName: "users `{tenant:1, userNameKey:1}` unique (lowercase shadow key)",
  externalId: "users `{tenant:1, externalId:1}`",
  email: "users `{tenant:1, emailKeys:1}` multikey (lowercase shadow of emails[].value)",
};

export function renderReport(run: BenchRun): { markdown: string; summary: string } {
  const byKey = new Map(run.scenarios.map((scenario) => [scenario.key, scenario]));
  const get = (key: string) => byKey.get(key);
  const breakdown = (request: string) => run.diagnostics?.breakdown.find((entry) => entry.request === request);
  const perRequestCpu = (scenario: ScenarioRun | undefined, which: "server" | "database") => {
    const used = scenario?.cpu[which];
    return scenario && used !== undefined && scenario.completed ? (used * 1000) / scenario.completed : undefined;
  };

  const othersCores = (scenario: ScenarioRun) => {
    const { machineBusy, server, database, bench } = scenario.cpu;
    return machineBusy !== undefined ? Math.max(0, machineBusy - (server ?? 0) - (database ?? 0) - bench) / scenario.seconds : undefined;
  };

  // ---------------------------------------------------------------- targets
  const targets: Target[] = [];
  const base = run.sizes.find((size) => size.users === run.seeded.users) ?? run.sizes[0];
  const largest = run.sizes[run.sizes.length - 1];
  const scales = base && largest && largest.users > base.users;
  const scanNote = scales
    ? `The database's own cost grows with the collection, which an index lookup never does: from ${n(base.users)} to ${n(largest.users)} users (×${fmt(largest.users / base.users, 0)}), one \`findOne\` by userName went from ${ms(base.userName)} to ${ms(largest.userName)} and one countDocuments from ${ms(base.count)} to ${ms(largest.count)} (×${fmt(largest.count / base.count, 1)}); explain says ${run.explains.userName}.`
    : `explain: ${run.explains.userName}.`;

  const lookupBreakdown = breakdown("filter userName eq");
  const runSize = run.sizes.find((size) => size.users === run.seeded.users);
  let effCauseGiven = false;
  let p99CauseGiven = false;
  for (const kind of ["userName", "externalId", "email"] as LookupKind[]) {
    const roster = get(kind);
    const floor = run.floor[kind];
    if (!roster) continue;
    const efficiency = roster.perSecond / floor.perSecond;
    const effMet = efficiency >= 0.4;
    const p99Met = roster.p99 <= 25;
    const serverMs = perRequestCpu(roster, "server");
    const dbMs = perRequestCpu(roster, "database");
    const cpuNote =
      serverMs !== undefined
        ? `CPU per ${LOOKUP_LABEL[kind]} request during the run: Roster's process ${ms(serverMs)}, the database's process ${dbMs !== undefined ? ms(dbMs) : "not measured"}${dbMs !== undefined && serverMs > 0 ? ` (×${fmt(dbMs / serverMs, 1)} Roster's)` : ""}.`
        : "";
    const floorAlone = runSize ? runSize[kind] : undefined;
    const fullCause = [
      lookupBreakdown
        ? `Roster answers a filter with a list: per request it issues ${lookupBreakdown.ops.length} database operations (timed alone: ${lookupBreakdown.ops.map((op) => `${op.op} ${ms(op.p50)}`).join("; ")}), ${ms(lookupBreakdown.databaseMs)} of database work in all, where the floor is one \`findOne\` (${ms(floorAlone)} alone) that stops at the first match, so the work Roster asks of the database is ×${fmt(lookupBreakdown.databaseMs / (floorAlone ?? NaN), 1)} the floor's; the rest of the gap is Roster's own CPU per request (table above) and the HTTP round trip, on 2 cores the server, the database and the load generator share.`
        : "",
      cpuNote,
      scanNote,
    ]
      .filter(Boolean)
      .join(" ");
    targets.push({
      name: `${LOOKUP_LABEL[kind]}: throughput vs the database's floor`,
      goal: "≥ 40%",
      measured: `${fmt(roster.perSecond)} / ${fmt(floor.perSecond)} req/s = ${fmt(efficiency * 100, 0)}%`,
      met: effMet,
      cause: effMet ? undefined : effCauseGiven ? `Same cause as the first lookup above. ${cpuNote} explain: ${run.explains[kind]}.` : fullCause,
    });
    if (!effMet) effCauseGiven = true;
    targets.push({
      name: `${LOOKUP_LABEL[kind]}: p99`,
      goal: "≤ 25 ms",
      measured: ms(roster.p99),
      met: p99Met,
      cause: p99Met
        ? undefined
        : `The database alone needs p99 ${ms(floor.p99)} (p50 ${ms(floor.p50)}) for this lookup at the same concurrency, so 25 ms is out of reach on this database whatever Roster does${effCauseGiven || p99CauseGiven ? "; Roster adds the work described under the throughput target above." : `; on top of it Roster adds: ${fullCause}`}`,
    });
    if (!p99Met) p99CauseGiven = true;
  }

  const big = get("memberAddBig");
  const small = get("memberAddSmall");
  if (big && small) {
    const ratio = big.p99 / small.p99;
    const met = ratio <= 1.5;
    const http = run.diagnostics?.http;
    targets.push({
      name: `member-add PATCH: ${n(run.seeded.bigGroupSize)}-member vs ${run.seeded.smallGroupSize}-member group, p99`,
      goal: "≤ 1.5×",
      measured: `${ms(big.p99)} / ${ms(small.p99)} = ×${fmt(ratio, 2)}`,
      met,
      cause: met
        ? undefined
        : `One at a time the two PATCHes take ${ms(http?.memberAddBig.p50)} and ${ms(http?.memberAddSmall.p50)} (p50, ×${fmt((http?.memberAddBig.p50 ?? NaN) / (http?.memberAddSmall.p50 ?? NaN), 2)}), and none of the operations Roster issues for a member add reads the member list (one membership document is inserted under the unique {tenant, groupId, userId} index): ${describeBreakdown(breakdown("member-add PATCH"))} The gap under load is therefore not the group's size: each PATCH's cost is dominated by the members-exist check (users.find with $in, a collection scan on this database), and other processes took ${fmt(othersCores(big), 2)} and ${fmt(othersCores(small), 2)} of the ${run.machine.cores} cores during the two scenarios (${big.completed} and ${small.completed} requests, so p99 is their maximum).`,
    });
  }

  const firstPage = get("firstPage");
  const deepCursor = get("deepCursor");
  if (firstPage && deepCursor) {
    const ratio = deepCursor.p99 / firstPage.p99;
    const met = ratio <= 2;
    targets.push({
      name: "cursor page deep in the list vs the first page, p99",
      goal: "≤ 2×",
      measured: `${ms(deepCursor.p99)} / ${ms(firstPage.p99)} = ×${fmt(ratio, 2)}`,
      met,
      cause: met ? undefined : `${describeBreakdown(breakdown("deep page, cursor"))} ${describeBreakdown(breakdown("first list page"))} explain: ${run.explains.listPage}.`,
    });
  }

  const leader = get("deactivateLeader");
  if (leader) {
    const met = leader.p99 <= 100 && leader.ok === leader.completed;
    const deactivation = breakdown("deactivate PATCH (per user, plus per report for a leader)");
    targets.push({
      name: "deactivate PATCH of a leader with 20 reports, p99",
      goal: "≤ 100 ms",
      measured: `${ms(leader.p99)} (p50 ${ms(leader.p50)}, ${leader.completed} leaders)`,
      met,
      cause: met
        ? undefined
        : `A leader's deactivation runs its cascade inside the request: read the user, its reports and groups led, insert the transition, the commit write, then per report one conditional users.updateOne + one audit insert + one transitions.updateOne ($addToSet done), i.e. about ${20 * 3 + 8} sequential database round trips for 20 reports. ${describeBreakdown(deactivation)} At that rate the 60 per-report writes alone cost about ${ms(estimateLeaderWrites(deactivation))}.`,
    });
  }

  const rss = summarizeRss(run.rss);
  if (rss) {
    const met = rss.lowPct >= -20 && rss.highPct <= 20;
    targets.push({
      name: "server RSS across the whole run",
      goal: "±20% of the post-warm-up baseline",
      measured: `baseline ${fmt(rss.baseline)} MB, min ${fmt(rss.min)} MB (${fmt(rss.lowPct, 0)}%), max ${fmt(rss.max)} MB (+${fmt(rss.highPct, 0)}%), end ${fmt(rss.end)} MB`,
      met,
      cause: met
        ? undefined
        : `The peak was during "${rss.maxPhase}" and the low during "${rss.minPhase}"; the run ended at ${fmt(rss.end)} MB (${fmt(((rss.end - rss.baseline) / rss.baseline) * 100, 0)}% of the baseline)${Math.abs(rss.end - rss.baseline) / rss.baseline <= 0.2 ? ", back inside the band: the swings are the V8 heap growing under the heaviest concurrent scenarios (per-scenario maxima above) and shrinking after, not a leak" : ", outside the band: check the per-scenario maxima for the scenario that keeps it"}.`,
    });
  }

  for (const peer of run.peers?.runs ?? []) {
    for (const theirs of peer.scenarios) {
      const ours = run.peers!.roster.find((scenario) => scenario.key === theirs.key);
      if (!ours) continue;
      const ratio = ours.perSecond / theirs.perSecond;
      const met = ratio >= PEER_RATIO_GOAL;
      targets.push({
        name: `Roster ÷ ${peer.name}, ${theirs.label}: throughput`,
        goal: `≥ ${PEER_RATIO_GOAL}×`,
        measured: `${fmt(ours.perSecond)} / ${fmt(theirs.perSecond)} req/s = ×${fmt(ratio, 2)}`,
        met,
        cause: met
          ? undefined
          : `Per request, Roster's process used ${ms(ours.cpuMsPerRequest)} of CPU and its database's ${ms(ours.databaseCpuMsPerRequest)}, where ${peer.name}'s process used ${ms(theirs.cpuMsPerRequest)} in all (it keeps the users in its own memory); p50 Roster ${ms(ours.p50)}, ${peer.name} ${ms(theirs.p50)}.`,
      });
    }
  }

  // ---------------------------------------------------------------- markdown
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const s = run.seeded;
  push(
    "# Roster benchmarks",
    "",
    `Generated by \`npm run bench\` (bench/run-bench.ts); every figure below comes from the one run described here. Re-run to refresh.`,
    "",
    "| | |",
    "| --- | --- |",
    `| command | \`${run.command}\` |`,
    `| date | ${run.date} (run took ${fmt(run.totalSeconds / 60, 1)} min${run.phases ? `: ${run.phases.map(([name, seconds]) => `${name} ${fmt(seconds, 0)} s`).join(", ")}` : ""}) |`,
    `| machine | ${run.machine.cpu}, ${run.machine.cores} cores, ${fmt(run.machine.memoryGb, 0)} GB RAM, ${run.machine.os}, Node ${run.machine.node} |`,
    `| machine load | load average ${run.machine.loadAtStart.map((v) => v.toFixed(1)).join(" / ")} (1/5/15 min) at start, ${run.machine.loadAtEnd.map((v) => v.toFixed(1)).join(" / ")} at end; the machine is shared, so the "others" column below shows the CPU other processes took during each scenario |`,
    `| database | ${run.database.kind}: ${run.database.detail}; reports MongoDB version ${run.database.version} |`,
    `| tenant | ${n(s.users)} users (names, 2 emails, phone, address, enterprise attributes, a manager each), ${n(s.groups)} groups, ${n(s.memberships)} memberships (one ordinary group per user, one group of ${n(s.bigGroupSize)}, one of ${s.smallGroupSize}), ${s.leaders} leaders with 20 reports; seeded through the store's collections in ${fmt(s.seconds)} s |`,
    `| server | the real server, \`node dist/src/main.js\`, own process, rate limit off (ROSTER_RATE_LIMIT=0), LOG_LEVEL=silent, background jobs on |`,
    `| load | autocannon ${run.options.connections} connections, ${run.options.durationSeconds} s per scenario (deactivations: one request per prepared user), per-request timeout ${run.options.timeoutSeconds} s; each request looks up, creates, adds or deactivates a different user |`,
    "",
  );
  if (s.users < 100_000) {
    push(`> **This run used ${n(s.users)} users, not the 100,000 of the issue.** See "Why not 100,000 users on this database" below.`, "");
  }

  push(
    "## Results",
    "",
    "| scenario | req/s | p50 | p99 | requests | unexpected | one alone (warm-up) | Roster CPU / req | database CPU / req | others (cores) |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
  );
  for (const scenario of run.scenarios) {
    const bad = [
      ...Object.entries(scenario.unexpected).map(([status, count]) => `${count}× HTTP ${status}`),
      ...(scenario.errors ? [`${scenario.errors} errors (${scenario.timeouts} timeouts)`] : []),
      ...(scenario.stoppedByGuard ? ["stopped by the time guard"] : []),
    ].join(", ");
    const { machineBusy, server, database, bench } = scenario.cpu;
    const others = machineBusy !== undefined ? Math.max(0, machineBusy - (server ?? 0) - (database ?? 0) - bench) / scenario.seconds : undefined;
    push(`| ${scenario.label} | ${fmt(scenario.perSecond)} | ${ms(scenario.p50)} | ${ms(scenario.p99)} | ${n(scenario.completed)} | ${bad || "none"} | ${ms(scenario.probeMs)} | ${ms(perRequestCpu(scenario, "server"))} | ${ms(perRequestCpu(scenario, "database"))} | ${fmt(others, 2)} |`);
  }
  push(
    "",
    `Latencies are client-side (autocannon, ${run.options.connections} connections). Each run is bounded by a request count sized from "one alone" (the latency of one request by itself during the warm-up) to last about ${run.options.durationSeconds} s, so no slow request in flight is dropped; the deactivations send one request per prepared user. Before the timed runs each read scenario got up to 200 untimed requests (at most 3 s, 4 at a time), so the server's JIT warm-up is not billed to the first scenario. CPU per request is the process's user+system CPU during the scenario divided by the requests completed; "others" is the CPU (in cores, of ${run.machine.cores}) that processes other than the server, the database and the bench used meanwhile.`,
    "",
  );

  push("### Lookups against the database's floor", "", "The floor is the same lookup issued straight through the MongoDB driver (`users.findOne`), no HTTP and no Roster, at the same concurrency for the same duration.", "");
  push("| lookup | index behind it | floor ops/s | floor p50 | floor p99 | Roster req/s | Roster p99 | efficiency |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const kind of ["userName", "externalId", "email"] as LookupKind[]) {
    const roster = get(kind);
    const floor = run.floor[kind];
    push(`| ${LOOKUP_LABEL[kind]} | ${LOOKUP_INDEX[kind]} | ${fmt(floor.perSecond)} | ${ms(floor.p50)} | ${ms(floor.p99)} | ${fmt(roster?.perSecond)} | ${ms(roster?.p99)} | ${roster ? `${fmt((roster.perSecond / floor.perSecond) * 100, 0)}%` : "–"} |`);
  }
  push("");

  const ratio = (a?: ScenarioRun, b?: ScenarioRun) => (a && b ? `×${fmt(a.p99 / b.p99, 2)}` : "–");
  push(
    "### Ratios",
    "",
    "| ratio (p99) | value |",
    "| --- | ---: |",
    `| member add: ${n(s.bigGroupSize)}-member / ${s.smallGroupSize}-member group | ${ratio(big, small)} |`,
    `| cursor page at 90% / first page (index) | ${ratio(deepCursor, firstPage)} |`,
    `| cursor page at 90% / first cursor page | ${ratio(deepCursor, get("firstCursor"))} |`,
    `| index page at 90% (startIndex) / first page | ${ratio(get("deepIndex"), firstPage)} |`,
    `| GET group excludedAttributes=members: ${n(s.bigGroupSize)}-member / ${s.smallGroupSize}-member | ${ratio(get("groupBigNoMembers"), get("groupSmallNoMembers"))} |`,
    "",
  );

  if (run.peers) pushPeers(run, push);

  if (rss) {
    push(
      "### Server memory (RSS of the server process, sampled every 250 ms from /proc)",
      "",
      `| at ready | after warm-up (baseline) | min | max | end | samples |`,
      "| ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${fmt(rss.start)} MB | ${fmt(rss.baseline)} MB | ${fmt(rss.min)} MB | ${fmt(rss.max)} MB (during ${rss.maxPhase}) | ${fmt(rss.end)} MB | ${run.rss.length} |`,
      "",
      `Per scenario, max RSS: ${rss.perPhase.map(([phase, max]) => `${phase} ${fmt(max)} MB`).join(", ")}.`,
      "",
    );
  }

  push("## Targets", "", "| target | goal | measured | met |", "| --- | --- | --- | --- |");
  for (const target of targets) push(`| ${target.name} | ${target.goal} | ${target.measured} | ${target.met === undefined ? "?" : target.met ? "met" : "**not met**"} |`);
  push("");
  const unmet = targets.filter((target) => target.met === false);
  if (unmet.length) {
    push("### Causes of the targets not met (measured in this run)", "");
    for (const target of unmet) push(`- **${target.name}** (${target.measured}): ${target.cause ?? ""}`.trimEnd());
    push("");
  }

  if (run.sizes.length) {
    push(
      "## The database alone, by tenant size",
      "",
      "Each operation issued through the driver one at a time (p50), while the tenant grows: an indexed lookup stays flat, a collection scan grows with the users.",
      "",
      "| users | findOne userName | findOne externalId | findOne emails | countDocuments (totalResults) | first page find (sort _id, limit 100) | runs |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...run.sizes.map((size) => `| ${n(size.users)} | ${ms(size.userName)} | ${ms(size.externalId)} | ${ms(size.email)} | ${ms(size.count)} | ${ms(size.firstPage)} | ${size.runs} |`),
      "",
    );
    if (run.sizes[0] && run.sizes[0].users < s.users) push(`The ${n(run.sizes[0].users)}-user row was timed while seeding, with lookups among the users inserted so far.`, "");
    if (run.grown) push(`Rows above ${n(s.users)} users were measured after the scenarios, growing the same tenant with plain users to ${n(run.grown.users)} (${fmt(run.grown.seconds)} s to insert them); lookups there pick users anywhere in the collection.`, "");
  }

  if (s.users < 100_000 && largest && largest.users >= 100_000) {
    const perLookup = largest.count + largest.firstPage;
    const requestsForP99 = 20;
    const perScenario = (perLookup * requestsForP99) / run.machine.cores / 1000;
    const scenarioCount = run.scenarios.length;
    push(
      "## Why not 100,000 users on this database",
      "",
      `At ${n(largest.users)} users ${run.database.kind} needs, for one operation alone: findOne by userName ${ms(largest.userName)}, countDocuments ${ms(largest.count)}, the first page's find ${ms(largest.firstPage)}. ` +
        `A Roster list or lookup request runs at least a find and a countDocuments over the users (plus a memberships query), so it costs about ${ms(perLookup)} of database time by itself. ` +
        `Twenty requests per scenario (the fewest that give a p99 worth the name), with at best ${run.machine.cores} running at once on ${run.machine.cores} cores, take about ${fmt(perScenario)} s per scenario and ${fmt((perScenario * scenarioCount) / 60)} min for the ${scenarioCount} scenarios. ` +
        `At ${run.options.connections} connections every request also waits behind the others: about ${ms((perLookup * run.options.connections) / run.machine.cores)} of latency${(perLookup * run.options.connections) / run.machine.cores > run.options.timeoutSeconds * 1000 ? `, past the load generator's ${run.options.timeoutSeconds} s timeout` : ""}. ` +
        `So this run used ${n(s.users)} users, and the table above shows the database alone at ${n(largest.users)}.`,
      "",
    );
  }

  if (run.diagnostics) {
    const http = run.diagnostics.http;
    push(
      "## Where the time goes",
      "",
      "Single requests, one at a time (no concurrency), over HTTP:",
      "",
      "| request | p50 | max | runs |",
      "| --- | ---: | ---: | ---: |",
      `| filter userName eq | ${ms(http.userName.p50)} | ${ms(http.userName.max)} | ${http.userName.runs} |`,
      `| first list page | ${ms(http.firstPage.p50)} | ${ms(http.firstPage.max)} | ${http.firstPage.runs} |`,
      `| GET group (${n(s.bigGroupSize)} members) excludedAttributes=members | ${ms(http.groupBig.p50)} | ${ms(http.groupBig.max)} | ${http.groupBig.runs} |`,
      `| GET group (${s.smallGroupSize} members) excludedAttributes=members | ${ms(http.groupSmall.p50)} | ${ms(http.groupSmall.max)} | ${http.groupSmall.runs} |`,
      `| member-add PATCH, ${n(s.bigGroupSize)}-member group | ${ms(http.memberAddBig.p50)} | ${ms(http.memberAddBig.max)} | ${http.memberAddBig.runs} |`,
      `| member-add PATCH, ${s.smallGroupSize}-member group | ${ms(http.memberAddSmall.p50)} | ${ms(http.memberAddSmall.max)} | ${http.memberAddSmall.runs} |`,
      "",
      "The database operations Roster issues for each kind of request (read from src/store/*-store.ts, src/scim/list-resources.ts, src/services/*), each timed alone through the driver:",
      "",
      "| request | database operation | p50 | max | runs |",
      "| --- | --- | ---: | ---: | ---: |",
    );
    for (const entry of run.diagnostics.breakdown) {
      for (const op of entry.ops) push(`| ${entry.request} | \`${op.op}\` | ${ms(op.p50)} | ${ms(op.max)} | ${op.runs} |`);
    }
    push("");
  }

  push("### Query plans (explain)", "");
  for (const [name, plan] of Object.entries(run.explains)) push(`- ${name}: ${plan}`);
  push("");

  push(
    "## Indexes behind each lookup",
    "",
    "Declared with a comment each in src/store/models/*.ts and created at start-up (`ensureIndexes`). Every index is tenant first (SPEC §10).",
    "",
    "| request | index |",
    "| --- | --- |",
    "| authentication | tokens `{hash:1}` unique |",
    "| filter userName eq | users `{tenant:1, userNameKey:1}` unique |",
    "| filter externalId eq | users `{tenant:1, externalId:1}` |",
    "| filter emails.value eq | users `{tenant:1, emailKeys:1}` (multikey) |",
    "| list pages, cursor pages (sort by id) | users `{tenant:1, _id:1}`; totalResults: users `{tenant:1, deletedAt:1}` |",
    "| `groups` attribute of listed users | memberships `{tenant:1, userId:1}` |",
    "| member add / remove, GET group members | memberships `{tenant:1, groupId:1, userId:1}` unique |",
    "| group by id | groups `{tenant:1, _id:1}` |",
    "| deactivate: direct reports, groups led | users `{tenant:1, \"enterprise.manager.value\":1}`, groups `{tenant:1, \"roster.manager.value\":1}` |",
    "",
  );

  const summaryLines = [
    `Roster bench — ${run.command} — ${run.database.kind} — ${n(s.users)} users, ${run.options.connections} connections`,
    "",
    pad(["scenario", "req/s", "p50", "p99", "n"], [58, 9, 10, 10, 7]),
    ...run.scenarios.map((scenario) => pad([scenario.label, fmt(scenario.perSecond), ms(scenario.p50), ms(scenario.p99), String(scenario.completed)], [58, 9, 10, 10, 7])),
    "",
    ...(["userName", "externalId", "email"] as LookupKind[]).map((kind) => `floor ${LOOKUP_LABEL[kind]}: ${fmt(run.floor[kind].perSecond)} ops/s, p99 ${ms(run.floor[kind].p99)}; efficiency ${get(kind) ? `${fmt((get(kind)!.perSecond / run.floor[kind].perSecond) * 100, 0)}%` : "–"}`),
    "",
    ...(run.peers ? [...peerSummary(run), ""] : []),
    ...targets.map((target) => `${target.met ? "MET    " : "NOT MET"} ${target.name}: ${target.measured} (goal ${target.goal})`),
  ];
  return { markdown: `${lines.join("\n")}\n`, summary: summaryLines.join("\n") };
}

/** The "Peers" section: versions, how each was seeded, then each scenario Roster vs each peer with the ratio. */
function pushPeers(run: BenchRun, push: (...lines: string[]) => void): void {
  const peers = run.peers!;
  push(
    "## Peers",
    "",
    `Other SCIM servers side by side in this run (\`--peers\`, ${fmt(peers.seconds)} s of it), one server at a time: each peer was seeded with the same ${n(run.seeded.users)} users as Roster (the attributes Roster holds, read back from its database, in its list order; the manager reference left out), then every server, Roster included, got exactly the same requests (the same lookup values, the same first page) from the same generator: ${run.options.connections} fetch clients in a closed loop for ${run.options.durationSeconds} s per scenario. That generator, not autocannon, because scim2-server's wsgiref server answers HTTP/1.0 and closes every connection, which autocannon miscounts; so Roster's figures here are its own run, next to the autocannon ones above. The peers are installed once into ~/.cache/roster/peers (never vendored, not in package.json) and keep their users in their own memory; Roster's figures include its database. The ratio is Roster's throughput over the peer's; the issue's target is ≥ ${PEER_RATIO_GOAL}×.`,
    "",
    "| peer | version | installed this run | seeded (SCIM) | lookups checked after seeding | started → stopped |",
    "| --- | --- | ---: | --- | --- | ---: |",
  );
  for (const peer of peers.runs) {
    const seeded = peer.seedSeconds !== undefined ? `${n(peer.users ?? 0)} users in ${fmt(peer.seedSeconds)} s (${n(Math.round((peer.users ?? 0) / peer.seedSeconds))}/s), ${peer.seedPath}` : "–";
    push(`| ${peer.name} | ${peer.version ?? "–"} | ${peer.installSeconds ? `${fmt(peer.installSeconds)} s` : peer.installSeconds === 0 ? "no (cached)" : "–"} | ${seeded} | ${peer.checks?.join("; ") ?? "–"} | ${fmt(peer.seconds)} s |`);
  }
  push("");
  for (const peer of peers.runs.filter((peer) => peer.skipped)) push(`- **${peer.name} not compared**: ${peer.skipped}`);
  if (peers.runs.some((peer) => peer.skipped)) push("");
  push("| scenario | server | req/s | p50 | p99 | requests | failed | CPU / req (process) | Roster ÷ it |", "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const ours of peers.roster) {
    push(`| ${ours.label} | **Roster** | ${fmt(ours.perSecond)} | ${ms(ours.p50)} | ${ms(ours.p99)} | ${n(ours.completed)} | ${describeFailed(ours)} | ${ms(ours.cpuMsPerRequest)} (+ database ${ms(ours.databaseCpuMsPerRequest)}) | |`);
    for (const peer of peers.runs) {
      const theirs = peer.scenarios.find((scenario) => scenario.key === ours.key);
      if (!theirs) continue;
      const ratio = ours.perSecond / theirs.perSecond;
      const shown = `×${fmt(ratio, 2)}`;
      push(`| ${theirs.label} | ${peer.name} | ${fmt(theirs.perSecond)} | ${ms(theirs.p50)} | ${ms(theirs.p99)} | ${n(theirs.completed)} | ${describeFailed(theirs)} | ${ms(theirs.cpuMsPerRequest)} | ${ratio >= PEER_RATIO_GOAL ? shown : `**${shown}**`} |`);
    }
  }
  push("");
}

function describeFailed(scenario: PeerScenarioRun): string {
  return scenario.errors ? `${scenario.errors} (first: ${(scenario.firstError ?? "no answer").replace(/\|/g, "\\|").slice(0, 120)})` : "none";
}

function peerSummary(run: BenchRun): string[] {
  const peers = run.peers!;
  return [
    `side by side (${peers.roster.length ? "the same fetch generator for every server" : "Roster not measured"}):`,
    ...peers.roster.map((ours) => `  Roster ${ours.label}: ${fmt(ours.perSecond)} req/s`),
    ...peers.runs.flatMap((peer) =>
      peer.skipped && !peer.scenarios.length
        ? [`peer ${peer.name}: not compared, ${peer.skipped}`]
        : [
            `peer ${peer.version} (seeded ${n(peer.users ?? 0)} users in ${fmt(peer.seedSeconds)} s${peer.installSeconds ? `, installed in ${fmt(peer.installSeconds)} s` : ""}${peer.skipped ? `; ${peer.skipped}` : ""}):`,
            ...peer.scenarios.map((theirs) => {
              const ours = peers.roster.find((scenario) => scenario.key === theirs.key);
              return `  ${theirs.label.padEnd(30)} ${peer.name} ${fmt(theirs.perSecond)} req/s, Roster ${fmt(ours?.perSecond)} req/s: Roster ÷ ${peer.name} = ${ours ? `×${fmt(ours.perSecond / theirs.perSecond, 2)}` : "–"}`;
            }),
          ],
    ),
  ];
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join(" ");
}

function describeBreakdown(entry: Breakdown | undefined): string {
  if (!entry) return "";
  return `Its database operations timed alone: ${entry.ops.map((op) => `${op.op} ${ms(op.p50)}`).join("; ")}.`;
}

function estimateLeaderWrites(entry: Breakdown | undefined): number | undefined {
  if (!entry) return undefined;
  const perReport = entry.ops.filter((op) => op.op.includes("per report") || op.op.includes("per cascade step")).reduce((sum, op) => sum + op.p50, 0);
  return perReport * 20;
}

export function summarizeRss(samples: RssSample[]) {
  if (!samples.length) return undefined;
  const start = samples[0].mb;
  const measured = samples.filter((sample) => sample.phase !== "ready" && sample.phase !== "warm-up");
  const warmUp = samples.filter((sample) => sample.phase === "warm-up");
  const baseline = (warmUp[warmUp.length - 1] ?? samples[0]).mb;
  const pool = measured.length ? measured : samples;
  let min = pool[0];
  let max = pool[0];
  for (const sample of pool) {
    if (sample.mb < min.mb) min = sample;
    if (sample.mb > max.mb) max = sample;
  }
  const perPhase = new Map<string, number>();
  for (const sample of samples) perPhase.set(sample.phase, Math.max(perPhase.get(sample.phase) ?? 0, sample.mb));
  return {
    start,
    baseline,
    min: min.mb,
    max: max.mb,
    maxPhase: max.phase,
    minPhase: min.phase,
    end: samples[samples.length - 1].mb,
    lowPct: ((min.mb - baseline) / baseline) * 100,
    highPct: ((max.mb - baseline) / baseline) * 100,
    perPhase: [...perPhase.entries()],
  };
}
