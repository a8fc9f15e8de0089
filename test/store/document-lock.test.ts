import { expect } from "chai";
import { withDocumentLock } from "../../src/store/document-lock";

describe("withDocumentLock", () => {
  it("runs work for one key one at a time, in call order", async () => {
    const events: string[] = [];
    const step = (name: string, ms: number) =>
      withDocumentLock("users:1", async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([step("a", 20), step("b", 1), step("c", 1)]);
    expect(events).to.deep.equal(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("lets different keys run at the same time", async () => {
    const events: string[] = [];
    const step = (key: string, ms: number) =>
      withDocumentLock(key, async () => {
        events.push(`start ${key}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${key}`);
      });
    await Promise.all([step("users:slow", 20), step("users:fast", 1)]);
    expect(events.indexOf("end users:fast")).to.be.lessThan(events.indexOf("end users:slow"));
  });

  it("releases the key when the work throws", async () => {
    await withDocumentLock("users:2", async () => {
      throw new Error("boom");
    }).catch(() => undefined);
    expect(await withDocumentLock("users:2", async () => "next")).to.equal("next");
  });
});
