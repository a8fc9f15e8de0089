import { expect } from "chai";
import { sharedTestServer } from "../support/shared-server";
import { describe as describeRequest, runFuzzSession } from "./fuzz-session";

/** Fixed so that `npm test` is reproducible; `npm run fuzz -- --seed N` explores others. */
const SEED = 20261201;
const REQUESTS = 300;

describe("SCIM API under generated hostile requests (fast-check)", () => {
  it(`keeps every invariant for ${REQUESTS} requests [seed ${SEED}]`, async function () {
    this.timeout(180_000);
    const server = await sharedTestServer();
    process.stderr.write(`      fuzz seed ${SEED}, ${REQUESTS} requests\n`);
    const report = await runFuzzSession({ url: server.url, requests: REQUESTS, seed: SEED });
    const summary = report.violations.map((violation) => `#${violation.index} ${violation.problem}: ${describeRequest(violation.request)} -> ${violation.body}`);
    expect(report.requests).to.equal(REQUESTS);
    expect(summary, `seed ${SEED}`).to.deep.equal([]);
  });
});
