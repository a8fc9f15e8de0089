import { registerCollector } from "./registry";

/**
 * `roster_event_deliveries{status}`, read from the database at each scrape: SETs owed
 * (`pending`, `failed` and waiting for a retry) and given up (`dead`), every tenant together.
 */
export function collectEventDeliveries(count: () => Promise<Record<"pending" | "failed" | "dead", number>>): void {
  registerCollector("roster_event_deliveries", "Lifecycle-event SETs not delivered, by status: pending, failed (retried later), dead (given up)", ["status"], async () =>
    Object.entries(await count()).map(([status, value]) => ({ labels: { status }, value })),
  );
}
