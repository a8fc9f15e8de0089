import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { auditOf } from "../support/admin";
import { ENTERPRISE, ROSTER_USER } from "../support/urns";

/**
 * `replace active` with a path and a boolean (Entra's and Okta's deactivation) skips scimmy's
 * PatchOp (src/scim/serve-resource.ts setActive); every other shape goes through it. The two must
 * answer, store and audit exactly the same: the same change is sent both ways to two users that
 * differ only in their names, and everything that is not a name, an id or a time must be equal.
 */
const LEAVE_DATE = new Date(Date.now() + 30 * 86_400_000).toISOString();

function richUser(userName: string, managerId: string): Record<string, unknown> {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, ROSTER_USER],
    userName,
    externalId: `ext-${userName}`,
    name: { givenName: "Grace", familyName: "Hopper", middleName: "B", honorificPrefix: "Dr." },
    displayName: "Grace Hopper",
    nickName: "Amazing",
    profileUrl: "https://example.com/grace",
    title: "Rear Admiral",
    userType: "Employee",
    preferredLanguage: "en-US",
    locale: "en-US",
    timezone: "America/New_York",
    active: true,
    emails: [
      { value: `${userName}@example.com`, type: "work", primary: true },
      { value: `${userName}@home.example.org`, type: "home" },
    ],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    addresses: [{ type: "work", streetAddress: "1 Navy Way", locality: "Arlington", region: "VA", postalCode: "22201", country: "US", primary: true }],
    [ENTERPRISE]: { employeeNumber: "42", costCenter: "CC-1", organization: "Navy", division: "Computing", department: "Research", manager: { value: managerId } },
    [ROSTER_USER]: { leaveDate: LEAVE_DATE },
  };
}

/** A user's JSON with its own id, names and times replaced, so two users' can be compared. */
function comparable(body: any, self: { id: string; userName: string }): string {
  return JSON.stringify(body)
    .split(self.id).join("<id>")
    .split(self.userName).join("<userName>")
    .replace(/"(created|lastModified)":"[^"]*"/g, `"$1":"<time>"`);
}

async function patch(tenant: TestTenant, id: string, body: Record<string, unknown>): Promise<any> {
  const patched = await tenant.scim("PATCH", `/Users/${id}`, body);
  expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
  expect(patched.headers.get("etag")).to.equal(patched.body.meta.version);
  return patched.body;
}

describe("PATCH replace active: the direct path equals scimmy's", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  for (const [label, direct, viaScimmy] of [
    ["deactivation", { op: "replace", path: "active", value: false }, { op: "replace", value: { active: false } }],
    ["reactivation", { op: "replace", path: "active", value: true }, { op: "replace", value: { active: true } }],
    ["a replace that changes nothing", { op: "replace", path: "active", value: true }, { op: "replace", value: { active: true } }],
  ] as const) {
    it(`answers, stores and audits ${label} the same`, async () => {
      const tenant = await freshTenant(server);
      const manager = await createUser(tenant, "manager");
      const a = await createUser(tenant, "user-a", richUser("user-a", manager.id));
      const b = await createUser(tenant, "user-b", richUser("user-b", manager.id));
      await createGroup(tenant, "Both", [a.id, b.id]);
      if (label === "reactivation") {
        await patch(tenant, a.id, patchOp({ op: "replace", path: "active", value: false }));
        await patch(tenant, b.id, patchOp({ op: "replace", path: "active", value: false }));
      }
      const auditBefore = (await auditOf(tenant)).length;

      const answeredA = await patch(tenant, a.id, patchOp(direct));
      const answeredB = await patch(tenant, b.id, patchOp(viaScimmy));
      expect(answeredA.active).to.equal(direct.value);
      expect(comparable(answeredA, a)).to.equal(comparable(answeredB, b));

      const readA = (await tenant.scim("GET", `/Users/${a.id}`)).body;
      const readB = (await tenant.scim("GET", `/Users/${b.id}`)).body;
      expect(comparable(readA, a)).to.equal(comparable(readB, b));
      expect(comparable(readA, a)).to.equal(comparable(answeredA, a));

      const entries = (await auditOf(tenant)).slice(0, (await auditOf(tenant)).length - auditBefore);
      const of = (user: { id: string; userName: string }) =>
        entries.filter((entry) => entry.target === user.id).map(({ action, before, after }) => comparable({ action, before, after }, user));
      expect(of(a)).to.deep.equal(of(b));
      if (label === "a replace that changes nothing") {
        expect(of(a)).to.deep.equal([]);
        expect(readA.meta.version).to.equal(a.meta.version);
      } else {
        expect(of(a)).to.have.length.greaterThan(0);
      }
    });
  }

  it("leaves every other shape to scimmy: string values, other paths, extra keys, mixed operations", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "mixed");
    // a string is scimmy's to coerce (Entra's default mode sends "False")
    expect((await patch(tenant, user.id, patchOp({ op: "Replace", path: "active", value: "False" }))).active).to.equal(false);
    // active and another attribute in one PATCH: both applied
    const both = await patch(tenant, user.id, patchOp({ op: "replace", path: "active", value: true }, { op: "replace", path: "displayName", value: "Renamed" }));
    expect(both.active).to.equal(true);
    expect(both.displayName).to.equal("Renamed");
    // an operation scimmy refuses refuses the whole PATCH
    const refused = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false }, { op: "bogus", path: "active", value: false }));
    expect(refused.status).to.equal(400);
    expect((await tenant.scim("GET", `/Users/${user.id}`)).body.active).to.equal(true);
  });

  it("answers 404 for an unknown user and 412 for a stale If-Match, changing nothing", async () => {
    const tenant = await freshTenant(server);
    const user = await createUser(tenant, "guarded");
    const missing = await tenant.scim("PATCH", "/Users/no-such-user", patchOp({ op: "replace", path: "active", value: false }));
    expect(missing.status).to.equal(404);
    const stale = await tenant.scim("PATCH", `/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false }), { "if-match": 'W/"99"' });
    expect(stale.status).to.equal(412);
    expect((await tenant.scim("GET", `/Users/${user.id}`)).body.active).to.equal(true);
  });
});
