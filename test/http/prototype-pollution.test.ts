import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_USER, ENTERPRISE } from "../support/urns";

const HOSTILE_PATHS = [
  "__proto__.filter",
  "__proto__",
  "__PROTO__.polluted",
  "constructor.prototype.polluted",
  "prototype.polluted",
  "name.__proto__.polluted",
  "emails.constructor.polluted",
  `${CORE_USER}:__proto__.polluted`,
  `${ENTERPRISE}:__proto__.polluted`,
  `${ENTERPRISE}:manager.__proto__`,
  "members.__proto__.polluted",
  // value paths (RFC 7644 §3.4.2.5)
  '__proto__[type eq "x"]',
  'emails[type eq "work"].constructor',
  'members[value pr].prototype',
  'name[givenName pr].constructor',
];

function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** What tenant B sees for its plain lists, which no request of another tenant may change. */
async function snapshot(tenant: TestTenant): Promise<unknown[]> {
  return [await list(tenant, "/Users"), await list(tenant, "/Groups"), await list(tenant, "/Groups?excludedAttributes=members")];
}

const ORIGINAL_KEYS = new Set(prototypeKeys());

describe("attribute, filter and sort paths (prototype pollution)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  // a failing test must not poison the rest of the run
  afterEach(function restorePrototype() {
    for (const key of prototypeKeys()) if (!ORIGINAL_KEYS.has(key)) delete (Object.prototype as Record<string, unknown>)[key];
  });

  it("leaves Object.prototype and other tenants' lists alone after excludedAttributes=__proto__.filter [the reported defect]", async () => {
    const attacker = await freshTenant(server, "a");
    const victim = await freshTenant(server, "b");
    const ann = await createUser(victim, "ann");
    await createGroup(victim, "staff", [ann.id]);
    const before = await snapshot(victim);
    const keys = prototypeKeys();

    const hostile = await attacker.scim("GET", "/Groups?excludedAttributes=__proto__.filter");
    expect(hostile.status).to.equal(200);

    expect(prototypeKeys()).to.deep.equal(keys);
    expect(({} as Record<string, unknown>).filter).to.equal(undefined);
    expect(await snapshot(victim)).to.deep.equal(before);
  });

  for (const parameter of ["attributes", "excludedAttributes"]) {
    for (const resource of ["Users", "Groups"]) {
      it(`ignores hostile paths in ${parameter} [${resource}, list and single read]`, async () => {
        const attacker = await freshTenant(server, "a");
        const victim = await freshTenant(server, "b");
        await createUser(victim, "bob");
        const user = await createUser(attacker, "eve");
        const group = await createGroup(attacker, "crew", [user.id]);
        const before = await snapshot(victim);
        const keys = prototypeKeys();
        const id = resource === "Users" ? user.id : group.id;

        for (const path of HOSTILE_PATHS) {
          const query = `?${parameter}=${encodeURIComponent(path)}`;
          const listed = await attacker.scim("GET", `/${resource}${query}`);
          expect(listed.status, `${path}: ${JSON.stringify(listed.body)}`).to.equal(200);
          const read = await attacker.scim("GET", `/${resource}/${id}${query}`);
          expect(read.status, `${path}: ${JSON.stringify(read.body)}`).to.equal(200);
          expect(read.body.id).to.equal(id);
        }
        expect(prototypeKeys()).to.deep.equal(keys);
        expect(await snapshot(victim)).to.deep.equal(before);
      });
    }
  }

  it("answers 400 invalidFilter to hostile filter and sortBy paths and pollutes nothing", async () => {
    const attacker = await freshTenant(server, "a");
    const victim = await freshTenant(server, "b");
    await createUser(victim, "carl");
    await createUser(attacker, "mallory");
    const before = await snapshot(victim);
    const keys = prototypeKeys();
    for (const path of ["__proto__", "constructor", "prototype", "__proto__.polluted", "constructor.prototype", "emails.__proto__", "name.constructor", `${CORE_USER}:__proto__`, `${ENTERPRISE}:constructor`]) {
      expectScimError(await attacker.scim("GET", `/Users${filterQuery(`${path} eq "x"`)}`), 400, "invalidFilter");
      expectScimError(await attacker.scim("GET", `/Users${filterQuery(`${path} pr`)}`), 400, "invalidFilter");
      expectScimError(await attacker.scim("GET", `/Users?sortBy=${encodeURIComponent(path)}`), 400, "invalidFilter");
      expectScimError(await attacker.scim("GET", `/Groups?sortBy=${encodeURIComponent(path)}&cursor=`), 400, "invalidFilter");
    }
    expectScimError(await attacker.scim("GET", `/Users${filterQuery(`emails[__proto__ eq "x"]`)}`), 400, "invalidFilter");
    expectScimError(await attacker.scim("GET", `/Users${filterQuery(`emails[type eq "work"].constructor eq "x"`)}`), 400, "invalidFilter");
    for (const path of ['emails[__proto__ pr]', 'emails[type eq "work"].__proto__', 'emails[constructor.prototype eq "x"]']) {
      expectScimError(await attacker.scim("GET", `/Users?attributes=${encodeURIComponent(path)}`), 400, "invalidFilter");
    }
    expect(prototypeKeys()).to.deep.equal(keys);
    expect(await snapshot(victim)).to.deep.equal(before);
  });
});
