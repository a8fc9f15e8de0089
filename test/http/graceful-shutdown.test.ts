import { expect } from "chai";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { findLiveUser } from "../../src/store/user-store";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { childServer, startRosterChild, type RosterChild } from "../support/roster-child";
import { newTenant, userBody, type TestTenant } from "../support/test-server";
import { sleep, waitFor } from "../support/wait";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** A raw HTTP/1.1 connection whose request is written in parts, so it can be in flight across a signal. */
class SlowRequest {
  private readonly socket: net.Socket;
  private received = "";
  readonly closed: Promise<void>;
  readonly connected: Promise<void>;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.connected = new Promise((resolve, reject) => this.socket.once("connect", resolve).once("error", reject));
    this.socket.on("data", (chunk: Buffer) => (this.received += chunk.toString("utf8")));
    this.closed = new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(text, (error) => (error ? reject(error) : resolve())));
  }

  /** The status and JSON body of the response, once the server has written it all and closed the connection. */
  async response(): Promise<{ status: number; headers: string; body: any }> {
    await this.closed;
    const [head, body] = [this.received.slice(0, this.received.indexOf("\r\n\r\n")), this.received.slice(this.received.indexOf("\r\n\r\n") + 4)];
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    return { status, headers: head.toLowerCase(), body: body ? JSON.parse(body) : undefined };
  }
}

/** Whether a new TCP connection to the server is refused. */
function connectionRefused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/**
 * SIGTERM (issue #12): Roster stops accepting, answers /readyz 503 while it drains, finishes the
 * requests in flight and the cascades they run, closes the database and exits 0; a request that
 * outlasts ROSTER_SHUTDOWN_TIMEOUT_MS has its connection cut and the exit code says so.
 */
describe("SIGTERM (Roster as a child process)", function () {
  this.timeout(90_000);
  let child: RosterChild | undefined;
  let tenant: TestTenant | undefined;

  afterEach(async () => {
    await child?.stop();
    child = undefined;
    if (tenant) await deleteTenantCascade(tenant.id);
    tenant = undefined;
  });

  it("finishes a deactivation in flight with its cascade, refuses new connections, answers /readyz 503 meanwhile, exits 0", async () => {
    child = await startRosterChild();
    tenant = await newTenant(childServer(child), "sigterm");
    const boss = await tenant.scim("POST", "/Users", userBody(`boss-${randomUUID().slice(0, 6)}`));
    const leader = await tenant.scim("POST", "/Users", userBody(`leader-${randomUUID().slice(0, 6)}`, { [ENTERPRISE]: { manager: { value: boss.body.id } } }));
    const report = await tenant.scim("POST", "/Users", userBody(`report-${randomUUID().slice(0, 6)}`, { [ENTERPRISE]: { manager: { value: leader.body.id } } }));
    expect([boss.status, leader.status, report.status]).to.deep.equal([201, 201, 201]);

    // the deactivation's headers and half its body before the signal, the rest after
    const body = JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    const inFlight = new SlowRequest(child.url);
    await inFlight.connected;
    await inFlight.write(
      `PATCH /scim/v2/Users/${leader.body.id} HTTP/1.1\r\nHost: roster\r\nAuthorization: Bearer ${tenant.token}\r\nContent-Type: application/scim+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
    );
    // a readiness probe on a connection opened before the signal, its request line sent, its headers not finished
    const probe = new SlowRequest(child.url);
    await probe.connected;
    await probe.write("GET /readyz HTTP/1.1\r\nHost: roster\r\n");
    await sleep(100);

    child.process.kill("SIGTERM");
    const draining = await waitFor(async () => child!.logs.some((line) => line.msg === "shutting down: draining"), 10_000, 20);
    expect(draining, "the child logged that it drains").to.equal(true);
    expect(await connectionRefused(child.url), "a new connection is refused").to.equal(true);

    await probe.write("\r\n");
    const readiness = await probe.response();
    expect(readiness.status).to.equal(503);
    expect(readiness.body).to.deep.equal({ status: "draining" });
    expect(readiness.headers).to.include("connection: close");

    await sleep(300);
    expect(child.process.exitCode, "still draining while a request is in flight").to.equal(null);
    await inFlight.write(body.slice(20));
    const answered = await inFlight.response();
    expect(answered.status).to.equal(200);
    expect(answered.body.active).to.equal(false);

    expect(await child.exited).to.equal(0);
    // the cascade ran to its end before the exit: the report went to the leader's manager
    const moved = await findLiveUser(tenant.id, report.body.id);
    expect(moved?.enterprise?.manager?.value).to.equal(boss.body.id);
    expect(child.logs.some((line) => line.msg === "stopped" && line.clean === true)).to.equal(true);
  });

  it("cuts a request that outlasts the shutdown timeout and exits 1 [ROSTER_SHUTDOWN_TIMEOUT_MS]", async () => {
    child = await startRosterChild({ ROSTER_SHUTDOWN_TIMEOUT_MS: "300" });
    tenant = await newTenant(childServer(child), "sigterm");
    const stuck = new SlowRequest(child.url);
    await stuck.connected;
    await stuck.write(`POST /scim/v2/Users HTTP/1.1\r\nHost: roster\r\nAuthorization: Bearer ${tenant.token}\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{"userName":`);
    await sleep(100);
    const signalled = Date.now();
    child.process.kill("SIGTERM");
    expect(await child.exited).to.equal(1);
    expect(Date.now() - signalled).to.be.within(250, 10_000);
    await stuck.closed;
    expect(child.logs.some((line) => line.msg === "stopped" && line.clean === false)).to.equal(true);
  });
});
