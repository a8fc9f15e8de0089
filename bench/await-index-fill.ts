import mongoose from "mongoose";

const POLL_MS = 250;

/**
 * Waits until the embedded database's background pass has filled every in-memory index
 * (tools/mongo-java-server-launcher answers `{rosterIndexFill: 1}` with `unfilled`), so no
 * scenario times the fill instead of Roster. Other databases do not know the command and
 * have nothing to wait for. Gives up after `timeoutMs`, saying so: the run goes on.
 */
export async function awaitIndexFill(timeoutMs: number, log: (message: string) => void): Promise<void> {
  const started = Date.now();
  const unfilled = async (): Promise<number | undefined> => {
    const reply = (await mongoose.connection.db!.command({ rosterIndexFill: 1 }).catch(() => undefined)) as { unfilled?: number } | undefined;
    return typeof reply?.unfilled === "number" ? reply.unfilled : undefined;
  };
  let left = await unfilled();
  if (left === undefined) return;
  const first = left;
  while (left !== undefined && left > 0 && Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    left = await unfilled();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (left !== undefined && left > 0) log(`index fill: ${left} of ${first} in-memory indexes still unfilled after ${seconds} s; going on (the first scenarios may time the fill)`);
  else log(`index fill: ${first === 0 ? "every in-memory index already filled" : `${first} in-memory indexes filled in ${seconds} s`}`);
}
