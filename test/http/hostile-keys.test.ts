import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createUser } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { CORE_USER, ENTERPRISE, PATCH_OP } from "../support/urns";

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "__PROTO__", "Constructor"];

/** Own properties of Object.prototype, to compare before and after. */
function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** Request bodies with `key` at several depths; raw JSON text, since a JS literal would not make `__proto__` an own key. */
function hostileRequests(key: string, userId: string): Array<{ method: string; path: string; body: string }> {
  const polluting = `{"polluted":"yes","isAdmin":true}`;
  const user = (inner: string) => `{"schemas":["${CORE_USER}"],"userName":"hostile.${Math.random().toString(36).slice(2, 8)}",${inner}}`;
  const patch = (operation: string) => `{"schemas":["${PATCH_OP}"],"Operations":[${operation}]}`;
  return [
    { method: "POST", path: "/Users", body: user(`"${key}":${polluting}`) },
    { method: "POST", path: "/Users", body: user(`"name":{"givenName":"G","${key}":${polluting}}`) },
    { method: "POST", path: "/Users", body: user(`"emails":[{"value":"a@b.c","${key}":${polluting}}]`) },
    { method: "POST", path: "/Users", body: user(`"${ENTERPRISE}":{"${key}":${polluting}}`) },
    { method: "PUT", path: `/Users/${userId}`, body: user(`"${key}":${polluting}`) },
    { method: "PUT", path: `/Users/${userId}`, body: user(`"name":{"${key}":${polluting}}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"add","path":"${key}.polluted","value":"yes"}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"add","path":"name.${key}","value":${polluting}}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"replace","value":{"${key}":${polluting}}}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"replace","value":{"name":{"${key}":${polluting}}}}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"replace","value":{"${ENTERPRISE}":{"${key}":${polluting}}}}`) },
    { method: "PATCH", path: `/Users/${userId}`, body: patch(`{"op":"add","path":"emails","value":[{"value":"x@y.z","${key}":${polluting}}]}`) },
  ];
}

async function listFor(tenant: TestTenant): Promise<unknown> {
  const listed = await tenant.scim("GET", "/Users?sortBy=userName");
  expect(listed.status).to.equal(200);
  const body = listed.body as { Resources: Array<Record<string, unknown>> };
  // meta.location carries the host: compare what the data says
  return { ...body, Resources: body.Resources.map(({ meta: _meta, ...rest }) => rest) };
}

describe("hostile attribute names (__proto__, constructor, prototype)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  for (const unknownAttributes of ["reject", "ignore"] as const) {
    it(`${unknownAttributes === "reject" ? "refuses them" : "ignores them"} at every depth of POST, PUT and PATCH${unknownAttributes === "reject" ? " with 400" : ""}, changing no prototype and no other tenant's answers [policy unknownAttributes: ${unknownAttributes}]`, async () => {
      const bystander = await freshTenant(server, "bystander");
      await createUser(bystander, "bystander.one");
      await createUser(bystander, "bystander.two", { [ENTERPRISE]: { department: "D" } });
      const before = await listFor(bystander);
      const snapshot = prototypeSnapshot();

      const attacker = await freshTenant(server, "attacker");
      await givePolicy(attacker, { unknownAttributes });
      const target = await createUser(attacker, "target.user");
      for (const key of HOSTILE_KEYS) {
        for (const request of hostileRequests(key, target.id)) {
          const result = await attacker.scim(request.method, request.path, request.body, { "Content-Type": "application/scim+json" });
          const label = `${request.method} ${request.body}`;
          if (unknownAttributes === "reject") {
            expect(result.status, `${label} → ${JSON.stringify(result.body)}`).to.equal(400);
            expect(["invalidSyntax", "invalidValue", "invalidPath"], label).to.include(result.body.scimType);
          } else {
            // left out like any unknown name: the rest of the request decides (a conflict, a missing userName, …)
            expect(result.status, `${label} → ${JSON.stringify(result.body)}`).to.be.oneOf([200, 201, 400, 409]);
            expect(JSON.stringify(result.body), label).to.not.match(/polluted|isAdmin/);
          }
        }
      }

      expect(prototypeSnapshot()).to.deep.equal(snapshot);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
      expect(await listFor(bystander)).to.deep.equal(before);
      if (unknownAttributes === "reject") {
        const unchanged = await attacker.scim("GET", `/Users/${target.id}`);
        expect(unchanged.body.meta.version).to.equal(target.meta.version);
        expect((await attacker.scim("GET", "/Users")).body.totalResults).to.equal(1);
      } else {
        expect(JSON.stringify((await attacker.scim("GET", "/Users?count=1000")).body)).to.not.match(/polluted|isAdmin/);
      }
    });
  }
});
