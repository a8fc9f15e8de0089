const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier call with the same key has finished.
 *
 * MongoDB applies a filtered update atomically, which is what Roster's
 * compare-and-set writes (If-Match, leases, transition claims) rely on.
 * FerretDB 1.24 does not: two concurrent `updateOne({_id, version: 3})` can
 * both match. Serializing conditional writes per document inside the process
 * makes the embedded single-process setup safe; several processes need real
 * MongoDB, as the README says. On MongoDB the lock only costs a queue hop.
 */
export async function withDocumentLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => done);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** {@link withDocumentLock} on several documents at once, taken in one order so two callers never wait on each other. */
export async function withDocumentLocks<T>(keys: string[], work: () => Promise<T>): Promise<T> {
  const sorted = [...new Set(keys)].sort();
  const nest = (index: number): Promise<T> => (index === sorted.length ? work() : withDocumentLock(sorted[index], () => nest(index + 1)));
  return nest(0);
}
