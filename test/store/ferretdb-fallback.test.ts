/**
 * The run's database is the embedded default (mongo-java-server) or MongoDB; FerretDB, the
 * fallback after it (SPEC §8), differs in what Roster depends on: it has no document
 * `$elemMatch` (the capability probe switches value-path filters to dotted conditions) and
 * its filtered updates are not atomic (src/store/document-lock.ts serializes them). This file
 * starts FerretDB itself and a Roster process on it, and checks both, over HTTP.
 */
import { expect } from "chai";
import { startDatabase, type StartedDatabase } from "../../src/store/database/start-database";
import { startRosterChild, type RosterChild } from "../support/roster-child";
import { patchOp } from "../support/scim";
import { adminRequest, tenantAt, userBody, type TestTenant } from "../support/test-server";

const WRITERS = 30;

describe("on the FerretDB fallback (SPEC §8)", function () {
  // the first run on a machine builds the FerretDB launcher (~1–2 minutes)
  this.timeout(300_000);
  let ferretdb: StartedDatabase | undefined;
  let roster: RosterChild | undefined;
  let tenant: TestTenant;

  before(async function () {
    try {
      ferretdb = await startDatabase({ log: () => undefined, config: { embeddedDatabase: "ferretdb" } });
    } catch (err) {
      process.stderr.write(`      skipped: FerretDB cannot be started here: ${err instanceof Error ? err.message : String(err)}\n`);
      this.skip();
    }
    roster = await startRosterChild({}, { uri: ferretdb!.uri, name: "roster_ferretdb_fallback" });
    const id = "ferretdb-fallback";
    expect((await adminRequest(`${roster.url}/admin/v1/tenants`, "POST", { id })).status).to.equal(201);
    const issued = await adminRequest<{ token: string }>(`${roster.url}/admin/v1/tenants/${id}/tokens`, "POST", {});
    tenant = tenantAt(roster.url, id, issued.body.token);
  });

  after(async () => {
    await roster?.stop();
    await ferretdb?.stop();
  });

  it("answers a two-condition value-path filter with dotted conditions: the matching user, never an error [capability probe]", async () => {
    const both = userBody("both", { emails: [{ value: "both@work.example", type: "work" }, { value: "both@home.example", type: "home" }] });
    const other = userBody("other", { emails: [{ value: "other@home.example", type: "home" }] });
    for (const body of [both, other]) expect((await tenant.scim("POST", "/Users", body)).status).to.equal(201);
    const filter = encodeURIComponent('emails[type eq "work" and value eq "both@work.example"]');
    const found = await tenant.scim("GET", `/Users?filter=${filter}`);
    expect(found.status).to.equal(200);
    expect(found.body.Resources.map((user: { userName: string }) => user.userName)).to.deep.equal(["both"]);
  });

  // 30 writers: without the lock, more than one of them wins on every run here; with 10, rarely
  it("lets exactly one of 30 parallel PATCHes with the same If-Match through [document lock]", async () => {
    const created = await tenant.scim("POST", "/Users", userBody("contended"));
    expect(created.status).to.equal(201);
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_unused, index) =>
        tenant.scim("PATCH", `/Users/${created.body.id}`, patchOp({ op: "replace", path: "displayName", value: `Writer ${index}` }), {
          "If-Match": created.body.meta.version,
        }),
      ),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 200), statuses.join()).to.have.length(1);
    expect(statuses.filter((status) => status === 412), statuses.join()).to.have.length(WRITERS - 1);
    const read = await tenant.scim("GET", `/Users/${created.body.id}`);
    expect(read.body.meta.version).to.equal('W/"2"');
  });
});
