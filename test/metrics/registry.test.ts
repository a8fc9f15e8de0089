import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { registerCollector, renderMetrics } from "../../src/metrics/registry";
import { parseExposition, sampleValue } from "../support/prometheus";

/** registerCollector: gauges read at scrape time (cascades pending; event deliveries, wired by the lead). */
describe("registerCollector", function () {
  this.timeout(10_000);
  const unique = () => `roster_test_${randomUUID().replace(/-/g, "").slice(0, 10)}`;

  it("reads the values at each scrape, with their labels", async () => {
    const name = unique();
    let pending = 3;
    registerCollector(name, "a test gauge", ["state"], async () => [
      { labels: { state: "pending" }, value: pending },
      { labels: { state: "failed" }, value: 1 },
    ]);
    expect(sampleValue(parseExposition(await renderMetrics()), name, { state: "pending" })).to.equal(3);
    pending = 5;
    const samples = parseExposition(await renderMetrics());
    expect(sampleValue(samples, name, { state: "pending" })).to.equal(5);
    expect(sampleValue(samples, name, { state: "failed" })).to.equal(1);
  });

  it("replaces a collector registered again under the same name [one per process]", async () => {
    const name = unique();
    registerCollector(name, "first", [], async () => [{ value: 1 }]);
    registerCollector(name, "second", [], async () => [{ value: 2 }]);
    const text = await renderMetrics();
    expect(text.match(new RegExp(`^# HELP ${name} `, "gm"))).to.have.length(1);
    expect(sampleValue(parseExposition(text), name)).to.equal(2);
  });

  it("leaves out a gauge whose read fails or hangs, counts it, and still answers the scrape [failure, timeout]", async () => {
    const failing = unique();
    const hanging = unique();
    const healthy = unique();
    registerCollector(failing, "fails", [], async () => {
      throw new Error("the database is down");
    });
    registerCollector(hanging, "hangs", [], () => new Promise(() => undefined));
    registerCollector(healthy, "works", [], async () => [{ value: 7 }]);
    const before = parseExposition(await renderMetrics());
    const started = Date.now();
    const samples = parseExposition(await renderMetrics());
    expect(Date.now() - started).to.be.below(4000);
    expect(samples.some((sample) => sample.name === failing || sample.name === hanging)).to.equal(false);
    expect(sampleValue(samples, healthy)).to.equal(7);
    for (const metric of [failing, hanging]) {
      const failures = (of: typeof samples) => sampleValue(of, "roster_metrics_collector_failures_total", { metric });
      expect(failures(samples) - failures(before), metric).to.equal(1);
    }
  });
});
