import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { EventDeliveryModel, TransitionModel } from "../../src/store/models";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { insertTransition } from "../../src/store/transition-store";
import { parseExposition, sampleSum, sampleValue, type PromSample } from "../support/prometheus";
import { childServer, startRosterChild, type RosterChild } from "../support/roster-child";
import { ADMIN_TOKEN, newTenant, request, userBody, type TestTenant } from "../support/test-server";
import { waitFor } from "../support/wait";

const METRICS_TOKEN = "metrics-token-0123456789";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const REQUESTS = "roster_http_request_duration_seconds_count";

/**
 * GET /metrics (issue #12): a scrape after acceptance-style traffic shows the counters moving.
 * Roster runs as a child process, as in production: its registry is its own, and its database
 * connection is opened by connectDatabase with the driver's command monitoring.
 */
describe("GET /metrics (Roster as a child process)", function () {
  this.timeout(90_000);
  let child: RosterChild;
  let tenant: TestTenant;

  before(async () => {
    // the rate limit on, with a burst the traffic below stays under, so that one client can run it out
    child = await startRosterChild({ ROSTER_METRICS_TOKEN: METRICS_TOKEN, ROSTER_RATE_LIMIT: "1:20", ROSTER_JOB_INTERVAL_MS: "200", ROSTER_LEASE_MS: "500" });
    tenant = await newTenant(childServer(child), "metrics");
  });
  after(async () => {
    await child?.stop();
    if (tenant) await deleteTenantCascade(tenant.id);
  });

  async function scrape(token = METRICS_TOKEN): Promise<{ text: string; samples: PromSample[] }> {
    const response = await fetch(`${child.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const text = await response.text();
    return { text, samples: parseExposition(text) };
  }

  it("refuses a scrape without a valid token, with the admin error body [no token, SCIM token, wrong token]", async () => {
    for (const token of [undefined, tenant.token, "not-the-metrics-token-at-all"]) {
      const result = await request(`${child.url}/metrics`, "GET", { token });
      expect(result.status, String(token)).to.equal(401);
      expect(result.headers.get("www-authenticate")).to.match(/^Bearer /);
      expect(result.body).to.include({ status: 401 });
    }
  });

  it("answers the metrics token and the admin token in the Prometheus text format, with the process defaults", async () => {
    for (const token of [METRICS_TOKEN, ADMIN_TOKEN]) {
      const response = await fetch(`${child.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).to.equal(200);
      const [mediaType, ...parameters] = (response.headers.get("content-type") ?? "").split(/; */);
      expect(mediaType).to.equal("text/plain");
      expect(parameters.sort()).to.deep.equal(["charset=utf-8", "version=0.0.4"]);
      const samples = parseExposition(await response.text());
      expect(sampleValue(samples, "process_cpu_seconds_total")).to.be.greaterThan(0);
      expect(sampleValue(samples, "process_resident_memory_bytes")).to.be.greaterThan(0);
      expect(samples.some((sample) => sample.name === "nodejs_eventloop_lag_seconds")).to.equal(true);
    }
  });

  it("lets every administrator scrape, a viewer of one tenant included [named administrator]", async () => {
    const created = await request(`${child.url}/admin/v1/administrators`, "POST", { token: ADMIN_TOKEN, body: { name: `Scraper ${randomUUID().slice(0, 6)}`, email: "scraper@example.com", role: "viewer", tenants: [tenant.id] }, headers: { "Content-Type": "application/json" } });
    expect(created.status).to.equal(201);
    try {
      expect(sampleValue((await scrape(created.body.token)).samples, "process_cpu_seconds_total")).to.be.greaterThan(0);
    } finally {
      expect((await request(`${child.url}/admin/v1/administrators/${created.body.id}`, "DELETE", { token: ADMIN_TOKEN })).status).to.be.oneOf([200, 204]);
    }
  });

  it("does not let the metrics token into the admin API", async () => {
    expect((await request(`${child.url}/admin/v1/tenants`, "GET", { token: METRICS_TOKEN })).status).to.equal(401);
  });

  it("shows the counters moving after acceptance-style traffic [create, deactivate, refusal, lookup, 429]", async () => {
    const before = (await scrape()).samples;

    const boss = await tenant.scim("POST", "/Users", userBody(`boss-${randomUUID().slice(0, 6)}`));
    const leader = await tenant.scim("POST", "/Users", userBody(`leader-${randomUUID().slice(0, 6)}`, { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: boss.body.id } } }));
    const report = await tenant.scim("POST", "/Users", userBody(`report-${randomUUID().slice(0, 6)}`, { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: leader.body.id } } }));
    expect([boss.status, leader.status, report.status]).to.deep.equal([201, 201, 201]);
    const deactivated = await tenant.scim("PATCH", `/Users/${leader.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(deactivated.status).to.equal(200);
    expect((await tenant.admin("PUT", "/owner", { userId: boss.body.id })).status).to.equal(200);
    const refused = await tenant.scim("PATCH", `/Users/${boss.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(refused.status).to.be.within(400, 409);
    const lookup = await tenant.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${report.body.userName}"`)}`);
    expect(lookup.body.totalResults).to.equal(1);
    let limited = 0;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      if ((await request(`${child.url}/scim/v2/Users`, "GET")).status === 429) limited = attempt + 1;
    }
    expect(limited, "an unauthenticated client runs out of its bucket").to.be.greaterThan(0);

    const after = (await scrape()).samples;
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta(REQUESTS, { route: "/scim/v2/Users", method: "POST", status: "201" })).to.equal(3);
    expect(delta(REQUESTS, { route: "/scim/v2/Users/:id", method: "PATCH", status: "200" })).to.equal(1);
    expect(delta(REQUESTS, { route: "/scim/v2/Users/:id", method: "PATCH", status: String(refused.status) })).to.equal(1);
    expect(delta(REQUESTS, { route: "/scim/v2/Users", method: "GET", status: "200" })).to.equal(1);
    expect(delta(REQUESTS, { route: "/admin/v1/tenants/:tenant/owner", method: "PUT", status: "200" })).to.equal(1);
    // refused before routing (authentication and its rate limit): the one series of unmatched requests
    expect(delta(REQUESTS, { route: "unmatched", method: "GET", status: "429" })).to.be.at.least(1);
    expect(delta("roster_rate_limit_rejections_total", { scope: "address" })).to.be.at.least(1);
    expect(delta("roster_lifecycle_transitions_total", { kind: "deactivate", outcome: "complete" })).to.equal(1);
    expect(delta("roster_lifecycle_transitions_total", { kind: "deactivate", outcome: "refused" })).to.equal(1);
    expect(delta("roster_db_command_duration_seconds_count", { command: "insert", outcome: "ok" })).to.be.at.least(3);
    expect(delta("roster_db_command_duration_seconds_count", { command: "find", outcome: "ok" })).to.be.at.least(1);
    expect(delta("roster_db_command_duration_seconds_sum", { command: "find", outcome: "ok" })).to.be.greaterThan(0);
    expect(sampleValue(after, "process_cpu_seconds_total")).to.be.greaterThan(sampleValue(before, "process_cpu_seconds_total"));
    // a histogram's buckets add up: +Inf is the count, and no bucket holds more than the next
    const series = { route: "/scim/v2/Users", method: "POST", status: "201" };
    const buckets = after.filter((s) => s.name === "roster_http_request_duration_seconds_bucket" && s.labels.route === series.route && s.labels.method === "POST" && s.labels.status === "201");
    expect(buckets.find((b) => b.labels.le === "+Inf")?.value).to.equal(sampleValue(after, REQUESTS, series));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).to.be.at.least(buckets[i - 1].value);
  });

  it("labels requests by route pattern, never by the raw path [ids, tenants, unknown and hostile paths]", async () => {
    const marker = `zz${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const paths = [
      `/scim/v2/Users/${marker}`,
      `/scim/v2/Groups/${marker}-g`,
      `/scim/v2/Users/${marker}/extra/segments`,
      `/admin/v1/tenants/${marker}/policy`,
      `/admin/v1/tenants/${tenant.id}/tokens/${marker}`,
      `/${marker}`,
      `/scim/v2/${marker}?filter=${marker}`,
      `/scim/v2/Users/%22%7D%0A${marker}`,
      `/metrics/${marker}`,
      `/readyz/${marker}`,
    ];
    for (const path of paths) {
      const admin = path.startsWith("/admin");
      await request(`${child.url}${path}`, path.includes("/tokens/") ? "DELETE" : "GET", { token: admin ? ADMIN_TOKEN : tenant.token });
    }
    const { text, samples } = await scrape();
    expect(text).not.to.include(marker);
    expect(text).not.to.include(tenant.id);
    const routes = new Set(samples.filter((sample) => sample.name === REQUESTS).map((sample) => sample.labels.route));
    for (const route of routes) expect(route, route).to.match(/^(unmatched|(\/[A-Za-z0-9._:*-]*)+(\|(\/[A-Za-z0-9._:*-]*)+)*)$/);
    expect(routes).to.include("/scim/v2/Users/:id");
    expect(routes).to.include("/admin/v1/tenants/:tenant/tokens/:id");
  });

  it("counts the cascades the sweep takes over, and the transitions it aborts", async () => {
    const before = (await scrape()).samples;
    const at = new Date(Date.now() - 60_000);
    const abandoned = (committed: boolean) => ({
      _id: randomUUID(),
      tenant: tenant.id,
      userId: randomUUID(),
      userVersion: 1,
      action: "user.deactivate" as const,
      actor: "metrics-test",
      requestId: "metrics-test",
      at,
      before: { active: true },
      after: { active: false },
      effects: [],
      done: [],
      status: "pending" as const,
      committed,
      leaseOwner: "a-process-that-died",
      leaseUntil: at,
    });
    // one whose commit landed (resumed and completed), one whose commit never reached its user (aborted)
    const landed = abandoned(true);
    const lost = abandoned(false);
    await insertTransition(landed);
    await insertTransition(lost);
    const settled = await waitFor(async () => (await TransitionModel.countDocuments({ tenant: tenant.id, status: "pending" }).exec()) === 0, 20_000);
    expect(settled, "the sweep settled both").to.equal(true);
    const statuses = await TransitionModel.find({ tenant: tenant.id, _id: { $in: [landed._id, lost._id] } }, { status: 1 }).lean<Array<{ _id: string; status: string }>>().exec();
    expect(Object.fromEntries(statuses.map((t) => [t._id, t.status]))).to.deep.equal({ [landed._id]: "complete", [lost._id]: "aborted" });
    const after = (await scrape()).samples;
    const delta = (outcome: string) => sampleValue(after, "roster_cascades_resumed_total", { outcome }) - sampleValue(before, "roster_cascades_resumed_total", { outcome });
    expect(delta("complete")).to.be.at.least(1);
    expect(delta("aborted")).to.be.at.least(1);
    expect(sampleSum(after, "roster_cascades_pending")).to.be.at.least(0);
    expect(after.filter((s) => s.name === "roster_cascades_pending").map((s) => s.labels.lease).sort()).to.deep.equal(["expired", "held"]);
  });

  it("reads the event deliveries owed and given up from the database at each scrape [dead letter]", async () => {
    const before = (await scrape()).samples;
    expect(before.filter((s) => s.name === "roster_event_deliveries").map((s) => s.labels.status).sort()).to.deep.equal(["dead", "failed", "pending"]);
    const now = new Date();
    const subscription = `sub-${randomUUID().slice(0, 8)}`;
    const jti = randomUUID();
    await EventDeliveryModel.collection.insertOne({ _id: `${subscription}:${jti}`, tenant: tenant.id, subscription, delivery: "push", jti, events: [], status: "dead", attempts: 10, nextAttemptAt: now, lastError: "metrics test", createdAt: now, deliveredAt: null } as never);
    const after = (await scrape()).samples;
    expect(sampleValue(after, "roster_event_deliveries", { status: "dead" }) - sampleValue(before, "roster_event_deliveries", { status: "dead" })).to.be.at.least(1);
  });
});
