import type { Logger } from "pino";
import { countResumedCascade } from "../metrics/lifecycle-metrics";
import { getRuntime, setRuntime } from "../services/context";
import { runCascade } from "../services/run-cascade";
import { deactivateForLeaveDate } from "../services/user-service";
import { acquireLease, releaseLease } from "../store/lease-store";
import { claimTransition, findAbandonedTransitions, finishTransition, type TransitionDoc } from "../store/transition-store";
import { fenceUserVersion, findAnyUser, findUsersDueToLeave } from "../store/user-store";
import { finishTenantDeletions } from "../services/tenants";
import { finishAbandonedGroupWrites } from "../services/group-service";
import { fanOutEvents, hasDuePushes, pushDueEvents, type EventDeliverySettings } from "../services/deliver-events";

const BATCH = 100;
const DELETION_SWEEP_MS = 60_000;

/**
 * Resumes cascades whose process died or stalled (SPEC §4 Crash safety). A
 * transition whose commit write never reached the user is aborted: nothing
 * happened. One failing cascade does not hold up the others; it is retried at
 * a later sweep.
 */
export async function resumeAbandonedTransitions(logger: Logger): Promise<number> {
  const runtime = getRuntime();
  let resumed = 0;
  for (const abandoned of await findAbandonedTransitions(runtime.now(), BATCH)) {
    const { tenant } = abandoned;
    try {
      const transition = await claimTransition(tenant, abandoned._id, runtime.processId, runtime.now(), runtime.leaseMs);
      if (!transition) continue;
      if (!(await commitLanded(transition))) {
        await finishTransition(tenant, transition._id, "aborted");
        countResumedCascade("aborted");
        continue;
      }
      logger.info({ tenant, transition: transition._id, action: transition.action }, "resuming cascade");
      if (await runCascade(transition)) {
        resumed++;
        countResumedCascade("complete");
      } else countResumedCascade("taken_over");
    } catch (error) {
      countResumedCascade("failed");
      logger.error({ err: error, tenant, transition: abandoned._id }, "resuming a cascade failed");
    }
  }
  return resumed;
}

/**
 * Whether the transition's commit write reached the user, deciding it for good:
 * a commit still in flight (its process stalled past the lease) is fenced out
 * by moving the user past the version it expects, so it can never land after
 * the transition is aborted. Holds across processes on MongoDB: the commit and
 * the fence are compare-and-sets on the same version of the same document.
 */
async function commitLanded(transition: TransitionDoc): Promise<boolean> {
  if (transition.committed) return true;
  const { tenant, userId } = transition;
  const user = await findAnyUser(tenant, userId);
  if (!user) return false;
  if (user.lastTransition === transition._id) return true;
  if (user.version === transition.userVersion && (await fenceUserVersion(tenant, userId, transition.userVersion))) return false;
  // the version had moved: by this commit (landed between the read and the fence) or by another write
  return (await findAnyUser(tenant, userId))?.lastTransition === transition._id;
}

/**
 * Deactivates users whose leave date passed, each under a lease (SPEC §4 Leave date, §10).
 * A refused leaver is looked at again at every sweep (the refusal is audited
 * once per leave date), so it goes as soon as the owner or its reports move.
 */
export async function deactivateLeavers(logger: Logger): Promise<number> {
  const runtime = getRuntime();
  let deactivated = 0;
  let afterId: string | undefined;
  for (;;) {
    const due = await findUsersDueToLeave(runtime.now(), BATCH, afterId);
    for (const { tenant, _id: userId } of due) {
      const job = `leave-date:${tenant}:${userId}`;
      try {
        if (!(await acquireLease(job, runtime.processId, runtime.leaseMs, runtime.now()))) continue;
        try {
          if ((await deactivateForLeaveDate(tenant, userId)) === "deactivated") {
            deactivated++;
            logger.info({ tenant, user: userId }, "deactivated by leave date");
          }
        } finally {
          await releaseLease(job, runtime.processId);
        }
      } catch (error) {
        logger.error({ err: error, tenant, user: userId }, "leave-date deactivation failed");
      }
    }
    if (due.length < BATCH) return deactivated;
    afterId = due[due.length - 1]._id;
  }
}

/** Finishes membership writes whose writer died holding the group's claim (see writeGroup). */
export async function finishGroupWrites(logger: Logger): Promise<number> {
  try {
    const finished = await finishAbandonedGroupWrites(BATCH);
    if (finished) logger.info({ groups: finished }, "finished group writes whose writer died");
    return finished;
  } catch (error) {
    logger.error({ err: error }, "finishing an abandoned group write failed");
    return 0;
  }
}

/**
 * Runs both jobs every `intervalMs` until stopped; returns the stopper. A sweep
 * that outlasts the interval is not overlapped by the next one: the process
 * would otherwise compete with itself for its own leases.
 */
export function startJobs(logger: Logger, intervalMs: number): () => Promise<void> {
  // a cascade the committing request could not finish is this sweep's work: say so in the server log
  setRuntime({
    ...getRuntime(),
    reportCascade: ({ error, ...report }) =>
      (report.outcome === "failed" ? logger.error({ err: error, ...report }, "cascade failed after the commit; the sweep will finish it") : logger.info(report, "cascade taken over by another process")),
  });
  // deletions and group writes cut short are rare: looked for at start and once a minute, not at every tick
  let nextDeletionSweep = 0;
  return everyInterval(intervalMs, async () => {
    const started = Date.now();
    try {
      const resumed = await resumeAbandonedTransitions(logger);
      if (Date.now() >= nextDeletionSweep) {
        nextDeletionSweep = Date.now() + DELETION_SWEEP_MS;
        await finishTenantDeletions(logger);
        // a group write cut off is finished by the group's next writer; this is for groups nobody writes again
        await finishGroupWrites(logger);
      }
      const deactivated = await deactivateLeavers(logger);
      logger.debug({ ms: Date.now() - started, resumed, deactivated }, "background sweep");
    } catch (error) {
      logger.error({ err: error }, "background job failed");
    }
  });
}

/**
 * Lifecycle events (README "Lifecycle events"): every `intervalMs`, fans out the audit
 * entries written as events into deliveries, then pushes the ones due. A loop of its
 * own, beside the sweep: a slow receiver holds up neither the sweep nor any request.
 * Pushes are at-least-once; one process pushes at a time (a lease), so processes do
 * not race each other to the same receiver; a process that dies holding it is
 * taken over after ROSTER_LEASE_MS, and its pushes in flight are pushed again.
 */
export function startEventDelivery(logger: Logger, intervalMs: number, settings: EventDeliverySettings): () => Promise<void> {
  return everyInterval(intervalMs, async (stopped) => {
    const runtime = getRuntime();
    try {
      while (!stopped() && (await fanOutEvents()) > 0);
      // an idle tick costs two reads: the lease is taken only when something is due
      if (stopped() || !(await hasDuePushes()) || !(await acquireLease("events:push", runtime.processId, runtime.leaseMs, runtime.now()))) return;
      try {
        for (;;) {
          const { delivered, failed } = await pushDueEvents(settings);
          if (delivered || failed) logger.info({ delivered, failed }, "pushed lifecycle events");
          if (stopped() || delivered + failed === 0 || failed > 0) break;
        }
      } finally {
        await releaseLease("events:push", runtime.processId);
      }
    } catch (error) {
      logger.error({ err: error }, "delivering lifecycle events failed");
    }
  });
}

/**
 * Runs `work` now and every `intervalMs` until stopped; returns the stopper, which waits for a
 * run in progress. A run that outlasts the interval is not overlapped by the next one: the
 * process would otherwise compete with itself for its own leases.
 */
function everyInterval(intervalMs: number, work: (stopped: () => boolean) => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = work(() => stopped).finally(() => {
      running = null;
    });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
