import { collectDefaultMetrics, Counter, Registry } from "prom-client";

/**
 * The process's one Prometheus registry (GET /metrics). It sits beside the layers like
 * config: every layer may count into it, and it imports nothing of the project, so the
 * store (database commands), services (transitions) and http (requests) each count at
 * their own choke point without reaching up.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });

/** The Content-Type of {@link renderMetrics}'s text (Prometheus exposition format 0.0.4). */
export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

/** Every metric in the Prometheus text format. */
export function renderMetrics(): Promise<string> {
  return metricsRegistry.metrics();
}

/** One value of a collected gauge: its label values and the number. */
export interface CollectedValue {
  labels?: Record<string, string>;
  value: number;
}

const COLLECT_TIMEOUT_MS = 2000;

const collectorFailures = new Counter({
  name: "roster_metrics_collector_failures_total",
  help: "Scrapes in which a collected gauge could not be read (it is left out of that scrape)",
  labelNames: ["metric"] as const,
  registers: [metricsRegistry],
});

/**
 * A gauge whose values are read at each scrape (counts kept in the database: cascades
 * pending, event deliveries pending/failed). Registering a name again replaces it, so
 * several servers in one process (tests) keep one collector. A collector that fails or
 * takes longer than two seconds leaves its gauge out of that scrape (never a made-up 0),
 * never the whole scrape. Label values come from the collector: keep them a bounded set.
 */
export function registerCollector(name: string, help: string, labelNames: readonly string[], collect: () => Promise<CollectedValue[]>): void {
  metricsRegistry.removeSingleMetric(name);
  metricsRegistry.registerMetric({
    name,
    help,
    type: "gauge",
    labelNames,
    aggregator: "sum",
    // nothing to reset: every value is read afresh (Registry.resetMetrics calls this)
    reset() {},
    async get() {
      const values = await readWithin(name, collect);
      return { name, help, type: "gauge", aggregator: "sum", values: values.map(({ labels, value }) => ({ labels: labels ?? {}, value })) };
    },
  } as unknown as Parameters<typeof metricsRegistry.registerMetric>[0]);
}

/** The collector's values, or none (counted as a failure) when it throws or outlasts COLLECT_TIMEOUT_MS. */
async function readWithin(name: string, collect: () => Promise<CollectedValue[]>): Promise<CollectedValue[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      collect(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} took longer than ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
      }),
    ]);
  } catch {
    collectorFailures.inc({ metric: name });
    return [];
  } finally {
    clearTimeout(timer);
  }
}
