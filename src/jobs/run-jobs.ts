import type { Logger } from "pino";
import { getRuntime } from "../services/context";
import { runCascade } from "../services/run-cascade";
import { deactivateForLeaveDate } from "../services/user-service";
import { acquireLease } from "../store/lease-store";
import { listTenants } from "../store/tenant-store";
import { claimTransition, findAbandonedTransitions, finishTransition } from "../store/transition-store";
import { findAnyUser, findUsersDueToLeave } from "../store/user-store";

const BATCH = 100;

/**
 * Resumes cascades whose process died (SPEC §4 Crash safety). A transition
 * whose commit write never reached the user is aborted: nothing happened.
 */
export async function resumeAbandonedTransitions(logger: Logger): Promise<number> {
  const runtime = getRuntime();
  let resumed = 0;
  for (const tenant of await listTenants()) {
    for (const abandoned of await findAbandonedTransitions(tenant._id, runtime.now(), BATCH)) {
      const transition = await claimTransition(tenant._id, abandoned._id, runtime.processId, runtime.now(), runtime.leaseMs);
      if (!transition) continue;
      const user = await findAnyUser(tenant._id, transition.userId);
      if (!user || user.lastTransition !== transition._id) {
        await finishTransition(tenant._id, transition._id, "aborted");
        continue;
      }
      logger.info({ tenant: tenant._id, transition: transition._id, action: transition.action }, "resuming cascade");
      await runCascade(transition);
      resumed++;
    }
  }
  return resumed;
}

/** Deactivates users whose leave date passed, each under a lease (SPEC §4 Leave date, §10). */
export async function deactivateLeavers(logger: Logger): Promise<number> {
  const runtime = getRuntime();
  let deactivated = 0;
  for (const tenant of await listTenants()) {
    for (const user of await findUsersDueToLeave(tenant._id, runtime.now(), BATCH)) {
      const leaveDate = user.roster?.leaveDate ? new Date(user.roster.leaveDate) : undefined;
      if (user.leaveDateRefusedFor && leaveDate && new Date(user.leaveDateRefusedFor).getTime() === leaveDate.getTime()) continue;
      if (!(await acquireLease(`leave-date:${tenant._id}:${user._id}`, runtime.processId, runtime.leaseMs, runtime.now()))) continue;
      const outcome = await deactivateForLeaveDate(tenant._id, user._id);
      if (outcome === "deactivated") {
        deactivated++;
        logger.info({ tenant: tenant._id, user: user._id }, "deactivated by leave date");
      }
    }
  }
  return deactivated;
}

/** Runs both jobs every `intervalMs` until stopped; returns the stopper. */
export function startJobs(logger: Logger, intervalMs: number): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = (async () => {
      try {
        await resumeAbandonedTransitions(logger);
        await deactivateLeavers(logger);
      } catch (error) {
        logger.error({ err: error }, "background job failed");
      }
    })();
  };
  tick();
  const timer = setInterval(() => {
    if (!stopped) tick();
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
