/**
 * SPEC §8: the embedded default keeps every acknowledged write across a kill -9 of both
 * Roster and its database. A Roster process on mongo-java-server (H2) with a data
 * directory takes writes, then it and its Java child are SIGKILLed together (no shutdown
 * hook, no final commit), and a new Roster on the same directory serves all of them.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { patchOp } from "../support/scim";
import { adminRequest, tenantAt, userBody, type TestTenant } from "../support/test-server";
import { waitFor } from "../support/wait";

const USERS = 20;

/** The pids of the process's direct children (Linux /proc). */
function childPids(pid: number): number[] {
  const taskDir = `/proc/${pid}/task`;
  return fs.readdirSync(taskDir).flatMap((task) =>
    fs.readFileSync(path.join(taskDir, task, "children"), "utf8").split(/\s+/).filter(Boolean).map(Number),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the embedded default across kill -9 (SPEC §8)", function () {
  this.timeout(180_000);
  let dataDir: string;
  let roster: RosterChild | undefined;

  before(async function () {
    if (!fs.existsSync("/proc/self/task")) {
      process.stderr.write("      skipped: finding the database process needs Linux /proc\n");
      this.skip();
    }
    dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "roster-persist-"));
  });

  after(async () => {
    await roster?.stop();
    if (dataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
  });

  const start = (): Promise<RosterChild> =>
    startRosterChild({ MONGODB_URI: "", ROSTER_DB: "mongo-java-server", ROSTER_DATA_DIR: dataDir, ROSTER_DB_NAME: "roster" });

  it("serves every acknowledged write after Roster and mongo-java-server are both SIGKILLed", async () => {
    roster = await start();
    const id = "persisted";
    expect((await adminRequest(`${roster.url}/admin/v1/tenants`, "POST", { id })).status).to.equal(201);
    const issued = await adminRequest<{ token: string }>(`${roster.url}/admin/v1/tenants/${id}/tokens`, "POST", {});
    let tenant: TestTenant = tenantAt(roster.url, id, issued.body.token);
    const created = await Promise.all(Array.from({ length: USERS }, (_unused, index) => tenant.scim("POST", "/Users", userBody(`kept-${index}`))));
    expect(created.map((result) => result.status)).to.deep.equal(created.map(() => 201));
    const patched = await tenant.scim("PATCH", `/Users/${created[0].body.id}`, patchOp({ op: "replace", path: "displayName", value: "Patched" }));
    expect(patched.status).to.equal(200);

    const rosterPid = roster.process.pid!;
    const databasePids = childPids(rosterPid).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("mongo-java-server-launcher"));
    expect(databasePids, "the Java child of Roster").to.have.length(1);
    process.kill(databasePids[0], "SIGKILL");
    process.kill(rosterPid, "SIGKILL");
    await roster.exited;
    expect(await waitFor(async () => !isAlive(databasePids[0]), 10_000, 50), "mongo-java-server outlived SIGKILL").to.equal(true);

    roster = await start();
    tenant = tenantAt(roster.url, id, issued.body.token);
    for (const result of created) {
      const read = await tenant.scim("GET", `/Users/${result.body.id}`);
      expect(read.status, result.body.userName).to.equal(200);
      expect(read.body.userName).to.equal(result.body.userName);
    }
    const first = await tenant.scim("GET", `/Users/${created[0].body.id}`);
    expect(first.body).to.include({ displayName: "Patched" });
    expect(first.body.meta.version).to.equal(patched.body.meta.version);
  });
});
