import { getRuntime, setRuntime, type Runtime } from "../../src/services/context";

/** Runs `work` with parts of the in-process runtime replaced (clock, fault injection), restoring it after. */
export async function withRuntime<T>(changes: Partial<Runtime>, work: () => Promise<T>): Promise<T> {
  const saved = getRuntime();
  setRuntime({ ...saved, ...changes });
  try {
    return await work();
  } finally {
    setRuntime(saved);
  }
}

/** Runs `work` with the runtime's clock moved `ms` forward (a sweep then sees shorter leases expired). */
export function later<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return withRuntime({ now: () => new Date(Date.now() + ms) }, work);
}
