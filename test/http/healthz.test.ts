import { expect } from "chai";
import { request, type TestServer } from "../support/test-server";
import { sharedTestServer } from "../support/shared-server";

describe("GET /healthz", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 200 without authentication once the database is reachable", async () => {
    const result = await request(`${server.url}/healthz`, "GET");
    expect(result.status).to.equal(200);
    expect(result.body).to.deep.equal({ status: "ok" });
  });
});

describe("GET /readyz", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("answers 200 ready without authentication while the database answers and the server is not draining", async () => {
    const result = await request(`${server.url}/readyz`, "GET");
    expect(result.status).to.equal(200);
    expect(result.body).to.deep.equal({ status: "ready" });
  });
});
