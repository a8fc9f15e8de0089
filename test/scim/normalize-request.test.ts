import { expect } from "chai";
import { RosterError } from "../../src/domain/roster-error";
import { inspectPatch, inspectResourceBody, normalizePatch, normalizeResourceBody } from "../../src/scim/normalize-request";

import { PATCH_OP, CORE_USER, CORE_GROUP, ENTERPRISE, ROSTER_USER, ROSTER_GROUP } from "../support/urns";

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const userOps = (...operations: unknown[]) => normalizePatch(patch(...operations), "User").Operations;
const groupOps = (...operations: unknown[]) => normalizePatch(patch(...operations), "Group").Operations;
const json = (text: string) => JSON.parse(text) as unknown;

function refusal(work: () => unknown): RosterError {
  try {
    work();
  } catch (error) {
    expect(error).to.be.instanceOf(RosterError);
    return error as RosterError;
  }
  throw new Error("expected a RosterError");
}

/** A hostile input is refused: its names are unknown paths, or it is a 400 of its own (a wrong type, a filter no grammar allows). */
function expectRefusedHostile(work: () => { value: unknown; unknownPaths: string[] }, key: string, label: string): void {
  let outcome: { value: unknown; unknownPaths: string[] };
  try {
    outcome = work();
  } catch (error) {
    expect(error, label).to.be.instanceOf(RosterError);
    expect((error as RosterError).status, label).to.equal(400);
    return;
  }
  expect(outcome.unknownPaths, label).to.have.length(1);
  expect(outcome.unknownPaths[0].toLowerCase(), label).to.include(key.toLowerCase());
  expect(JSON.stringify(outcome.value), label).to.not.include("polluted");
}

function expectUnknown(work: () => unknown, path: string): void {
  const error = refusal(work);
  expect([error.status, error.scimType]).to.deep.equal([400, "invalidSyntax"]);
  expect(error.detail).to.include(`'${path}'`);
}

describe("normalizeResourceBody", () => {
  it("accepts Okta's create as sent, ignoring read-only groups and keeping the password [Okta]", () => {
    const body = normalizeResourceBody(
      json(
        `{"schemas":["${CORE_USER}"],"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],"displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}`,
      ),
      "User",
    );
    expect(body).to.deep.equal({
      schemas: [CORE_USER],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      password: "1mz050nq",
      active: true,
    });
  });

  it("drops Entra's read-only meta and null attributes [Entra]", () => {
    const body = normalizeResourceBody(
      json(
        `{"schemas":["${CORE_USER}","${ENTERPRISE}"],"externalId":"0a21f0f2","userName":"Test_User_1","active":true,"emails":[{"primary":true,"type":"work","value":"a@testuser.com"}],"meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[],"phoneNumbers":null,"title":null}`,
      ),
      "User",
    );
    expect(body).to.not.have.any.keys("meta", "phoneNumbers", "title");
    expect(body.name).to.deep.equal({ formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" });
    expect(body.roles).to.deep.equal([]);
  });

  it("reads \"True\"/\"False\" and names in other cases as the table spells them [Entra reference collection]", () => {
    const body = normalizeResourceBody({ UserName: "a", active: "True", Emails: [{ Primary: "False", VALUE: "a@b.c" }] }, "User");
    expect(body).to.deep.equal({ userName: "a", active: true, emails: [{ primary: false, value: "a@b.c" }] });
  });

  it("keeps Okta's PUT of a read user, ignoring id, meta and groups [Okta]", () => {
    const body = normalizeResourceBody({ schemas: [CORE_USER], id: "u1", userName: "a", meta: { version: 'W/"1"' }, groups: [{ value: "g" }], active: false }, "User");
    expect(body).to.deep.equal({ schemas: [CORE_USER], userName: "a", active: false });
  });

  it("reads Entra's bare manager id and drops an empty one [Entra]", () => {
    expect(normalizeResourceBody({ userName: "a", [ENTERPRISE]: { manager: "m1", department: "D" } }, "User")[ENTERPRISE]).to.deep.equal({ manager: { value: "m1" }, department: "D" });
    expect(normalizeResourceBody({ userName: "a", [ENTERPRISE]: { manager: "" } }, "User")[ENTERPRISE]).to.deep.equal({});
  });

  it("drops read-only sub-attributes and an extension's own schemas [manager.displayName]", () => {
    const body = normalizeResourceBody({ userName: "a", [ENTERPRISE.toUpperCase()]: { schemas: [ENTERPRISE], manager: { value: "m1", displayName: "M" } } }, "User");
    expect(body[ENTERPRISE]).to.deep.equal({ manager: { value: "m1" } });
  });

  it("accepts fully qualified attribute names as keys (RFC 7644 §3.10) [core, extension]", () => {
    const body = normalizeResourceBody({ [`${CORE_USER}:userName`]: "a", [`${CORE_USER}:name.givenName`]: "G", [`${ROSTER_USER}:leaveDate`]: "2030-01-01T00:00:00Z" }, "User");
    expect(body).to.deep.equal({ userName: "a", name: { givenName: "G" }, [ROSTER_USER]: { leaveDate: "2030-01-01T00:00:00Z" } });
  });

  it("keeps a group with members and the Roster manager [Group]", () => {
    const body = normalizeResourceBody({ schemas: [CORE_GROUP], displayName: "G", members: [{ value: "u1", $ref: null, display: "U" }], [ROSTER_GROUP]: { manager: { value: "u1" } } }, "Group");
    expect(body).to.deep.equal({ schemas: [CORE_GROUP], displayName: "G", members: [{ value: "u1", display: "U" }], [ROSTER_GROUP]: { manager: { value: "u1" } } });
  });

  it("refuses an unknown attribute at any depth, naming its path [top, complex, multi-valued, extension]", () => {
    expectUnknown(() => normalizeResourceBody({ userName: "a", favouriteColour: "blue" }, "User"), "favouriteColour");
    expectUnknown(() => normalizeResourceBody({ userName: "a", name: { nickname: "x" } }, "User"), "name.nickname");
    expectUnknown(() => normalizeResourceBody({ userName: "a", addresses: [{ street: "1 Main St" }] }, "User"), "addresses.street");
    expectUnknown(() => normalizeResourceBody({ userName: "a", [ENTERPRISE]: { departmnt: "x" } }, "User"), `${ENTERPRISE}:departmnt`);
    expectUnknown(() => normalizeResourceBody({ displayName: "G", members: [{ value: "u1", colour: "x" }] }, "Group"), "members.colour");
    expectUnknown(() => normalizeResourceBody({ userName: "a", "urn:example:unknown:2.0:User:x": "y" }, "User"), "urn:example:unknown:2.0:User:x");
  });

  it("refuses $-keys at any depth [operator injection]", () => {
    expectUnknown(() => normalizeResourceBody({ userName: "a", $where: "1" }, "User"), "$where");
    expectUnknown(() => normalizeResourceBody({ userName: "a", name: { givenName: { $ne: null } } }, "User"), "name.givenName.$ne");
    expectUnknown(() => normalizeResourceBody({ userName: { $gt: "" } }, "User"), "userName.$gt");
  });

  it("refuses an object where a simple value belongs with invalidValue [displayName: {text}]", () => {
    const error = refusal(() => normalizeResourceBody({ displayName: { text: "x" } }, "Group"));
    expect([error.status, error.scimType]).to.deep.equal([400, "invalidValue"]);
  });

  it("names every unknown path at once, so one rule can later record them instead", () => {
    const { value, unknownPaths } = inspectResourceBody({ userName: "a", colour: "x", name: { givenName: "G", nick: "n" } }, "User");
    expect(unknownPaths).to.deep.equal(["colour", "name.nick"]);
    expect(value).to.deep.equal({ userName: "a", name: { givenName: "G" } });
  });

  for (const key of ["__proto__", "constructor", "prototype", "__PROTO__", "Constructor"]) {
    it(`refuses ${key} at every depth and never changes a prototype [${key}]`, () => {
      const bodies = [
        `{"userName":"a","${key}":{"polluted":true}}`,
        `{"userName":"a","name":{"${key}":{"polluted":true}}}`,
        `{"userName":"a","emails":[{"value":"a@b.c","${key}":{"polluted":true}}]}`,
        `{"userName":"a","${ENTERPRISE}":{"${key}":{"polluted":true}}}`,
        `{"userName":"a","name":{"givenName":{"${key}":{"polluted":true}}}}`,
      ];
      for (const text of bodies) expectRefusedHostile(() => inspectResourceBody(json(text), "User"), key, text);
      const { value } = inspectResourceBody(json(bodies[0]), "User");
      expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it("refuses a body that is not one object", () => {
    expect(refusal(() => normalizeResourceBody([], "User")).scimType).to.equal("invalidSyntax");
    expect(refusal(() => normalizeResourceBody("x", "User")).scimType).to.equal("invalidSyntax");
  });
});

describe("normalizePatch", () => {
  it("turns Okta's path-less deactivation into a replace of active [Okta]", () => {
    expect(userOps({ op: "replace", value: { active: false } })).to.deep.equal([{ op: "replace", path: "active", value: false }]);
  });

  it("reads Entra's default-mode disable: op in any case, \"False\" [Entra]", () => {
    expect(userOps({ op: "Replace", path: "active", value: "False" })).to.deep.equal([{ op: "replace", path: "active", value: false }]);
    expect(userOps({ op: "replace", path: "active", value: false })).to.deep.equal([{ op: "replace", path: "active", value: false }]);
  });

  it("keeps Entra's update of a value path and of name.familyName [Entra]", () => {
    expect(userOps({ op: "Replace", path: 'emails[type eq "work"].value', value: "x@y.com" }, { op: "Replace", path: "name.familyName", value: "F" })).to.deep.equal([
      { op: "replace", path: 'emails[type eq "work"].value', value: "x@y.com" },
      { op: "add", path: "name", value: { familyName: "F" } },
    ]);
  });

  it("splits Entra's flagged-mode path-less value with dotted and URN keys into one operation each [Entra]", () => {
    const operations = userOps({
      op: "replace",
      value: { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENTERPRISE}:employeeNumber`]: "Aklq" },
    });
    expect(operations).to.deep.equal([
      { op: "replace", path: "displayName", value: "Bjfe" },
      { op: "add", path: "name", value: { givenName: "Kkom" } },
      { op: "add", path: "name", value: { familyName: "Unua" } },
      { op: "replace", path: `${ENTERPRISE}:employeeNumber`, value: "Aklq" },
    ]);
  });

  it("reads Entra's bare manager id, and Replace with \"\" or null as its removal [Entra]", () => {
    const path = `${ENTERPRISE}:manager`;
    expect(userOps({ op: "add", path, value: "2c2f6fb8" })).to.deep.equal([{ op: "add", path, value: { value: "2c2f6fb8" } }]);
    expect(userOps({ op: "Replace", path, value: "" })).to.deep.equal([{ op: "remove", path }]);
    expect(userOps({ op: "Replace", path, value: null })).to.deep.equal([{ op: "remove", path }]);
    expect(userOps({ op: "replace", value: { [path]: "m2" } })).to.deep.equal([{ op: "add", path, value: { value: "m2" } }]);
  });

  it("replaces only the given sub-attributes of a complex attribute (RFC 7644 §3.5.2.3) [name, manager, group manager, path-less]", () => {
    expect(userOps({ op: "replace", path: "name", value: { givenName: "A" } })).to.deep.equal([{ op: "add", path: "name", value: { givenName: "A" } }]);
    expect(userOps({ op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "m" } })).to.deep.equal([{ op: "add", path: `${ENTERPRISE}:manager`, value: { value: "m" } }]);
    expect(groupOps({ op: "replace", path: `${ROSTER_GROUP}:manager`, value: { value: "u" } })).to.deep.equal([{ op: "add", path: `${ROSTER_GROUP}:manager`, value: { value: "u" } }]);
    expect(userOps({ op: "replace", value: { name: { givenName: "A" } } })).to.deep.equal([{ op: "add", path: "name", value: { givenName: "A" } }]);
    expect(userOps({ op: "replace", value: { [ENTERPRISE]: { manager: { value: "m" }, department: "D" } } })).to.deep.equal([
      { op: "add", path: `${ENTERPRISE}:manager`, value: { value: "m" } },
      { op: "replace", path: `${ENTERPRISE}:department`, value: "D" },
    ]);
  });

  it("keeps Okta's group pushes: rename carrying id, member removal by filter, add, full replace [Okta]", () => {
    expect(groupOps({ op: "replace", value: { id: "g1", displayName: "Test SCIMv2" } })).to.deep.equal([{ op: "replace", path: "displayName", value: "Test SCIMv2" }]);
    expect(groupOps({ op: "remove", path: 'members[value eq "u1"]' }, { op: "add", path: "members", value: [{ value: "u2", display: "test.user@okta.local" }] })).to.deep.equal([
      { op: "remove", path: 'members[value eq "u1"]' },
      { op: "add", path: "members", value: [{ value: "u2", display: "test.user@okta.local" }] },
    ]);
    expect(groupOps({ op: "replace", path: "members", value: [{ value: "u2" }, { value: "u1" }] })).to.deep.equal([{ op: "replace", path: "members", value: [{ value: "u2" }, { value: "u1" }] }]);
    expect(groupOps({ op: "replace", path: "members", value: [] })).to.deep.equal([{ op: "replace", path: "members", value: [] }]);
  });

  it("keeps Entra's member changes: Add with a null $ref, Remove by value array, flagged remove, bare remove [Entra]", () => {
    expect(groupOps({ op: "Add", path: "members", value: [{ $ref: null, value: "u1" }] })).to.deep.equal([{ op: "add", path: "members", value: [{ value: "u1" }] }]);
    expect(groupOps({ op: "Remove", path: "members", value: [{ value: "u1" }] })).to.deep.equal([{ op: "remove", path: "members", value: [{ value: "u1" }] }]);
    expect(groupOps({ op: "remove", path: 'members[value eq "u1"]' })).to.deep.equal([{ op: "remove", path: 'members[value eq "u1"]' }]);
    expect(groupOps({ op: "remove", path: "members" })).to.deep.equal([{ op: "remove", path: "members" }]);
  });

  it("ignores extra keys in an op object and reads members' displayName as display [Entra reference collection]", () => {
    expect(groupOps({ name: "addMember", op: "add", path: "members", value: [{ displayName: "Member", value: "u1" }] })).to.deep.equal([{ op: "add", path: "members", value: [{ display: "Member", value: "u1" }] }]);
  });

  it("turns a path-less members value into the members path [group]", () => {
    expect(groupOps({ op: "add", value: { members: [{ value: "u1" }], displayName: "G" } })).to.deep.equal([
      { op: "add", path: "members", value: [{ value: "u1" }] },
      { op: "add", path: "displayName", value: "G" },
    ]);
  });

  it("accepts fully qualified core paths in a path and as path-less keys (RFC 7644 §3.10)", () => {
    expect(userOps({ op: "replace", path: `${CORE_USER}:name.givenName`, value: "A" })).to.deep.equal([{ op: "add", path: "name", value: { givenName: "A" } }]);
    expect(userOps({ op: "replace", path: `${CORE_USER}:userName`, value: "b" })).to.deep.equal([{ op: "replace", path: "userName", value: "b" }]);
    expect(userOps({ op: "replace", value: { [`${CORE_USER}:userName`]: "b" } })).to.deep.equal([{ op: "replace", path: "userName", value: "b" }]);
    expect(groupOps({ op: "add", path: `${CORE_GROUP}:members`, value: [{ value: "u1" }] })).to.deep.equal([{ op: "add", path: "members", value: [{ value: "u1" }] }]);
  });

  it("removes an extension as a whole, one attribute at a time (RFC 7644 §3.5.2.2)", () => {
    expect(userOps({ op: "remove", path: ROSTER_USER })).to.deep.equal([{ op: "remove", path: `${ROSTER_USER}:leaveDate` }]);
    expect((userOps({ op: "remove", path: ENTERPRISE }) as Array<{ path: string }>).map((operation) => operation.path)).to.include(`${ENTERPRISE}:manager`);
  });

  it("turns null values into removals and ignores read-only attributes in a path-less value", () => {
    expect(userOps({ op: "replace", path: "title", value: null })).to.deep.equal([{ op: "remove", path: "title" }]);
    expect(userOps({ op: "replace", value: { id: "x", meta: {}, groups: [], title: null } })).to.deep.equal([{ op: "replace", value: {} }]);
  });

  it("refuses an explicit path to a read-only attribute with mutability", () => {
    const error = refusal(() => userOps({ op: "replace", path: "id", value: "x" }));
    expect([error.status, error.scimType]).to.deep.equal([400, "mutability"]);
  });

  it("refuses unknown names at any depth, naming the exact path [path, sub-attribute, value key, nested value, filter, extension]", () => {
    expectUnknown(() => userOps({ op: "replace", path: "nickname2", value: "x" }), "nickname2");
    expectUnknown(() => userOps({ op: "replace", path: "name.nickname", value: "x" }), "name.nickname");
    expectUnknown(() => userOps({ op: "replace", value: { name: { nickname: "x" } } }), "name.nickname");
    expectUnknown(() => userOps({ op: "replace", path: "name", value: { nickname: "x" } }), "name.nickname");
    expectUnknown(() => userOps({ op: "add", path: "addresses", value: [{ street: "1 Main St" }] }), "addresses.street");
    expectUnknown(() => userOps({ op: "replace", path: 'emails[kind eq "work"].value', value: "x" }), "emails.kind");
    expectUnknown(() => userOps({ op: "replace", value: { [ENTERPRISE]: { departmnt: "x" } } }), `${ENTERPRISE}:departmnt`);
    expectUnknown(() => groupOps({ op: "add", path: "members", value: [{ value: "u1", colour: "x" }] }), "members.colour");
  });

  for (const key of ["__proto__", "constructor", "prototype", "__Proto__"]) {
    it(`refuses ${key} in paths and values at every depth [${key}]`, () => {
      const bodies = [
        { op: "add", path: `${key}.polluted`, value: true },
        { op: "add", path: `name.${key}`, value: { polluted: true } },
        { op: "add", path: `emails[${key} eq "x"].value`, value: "x" },
        json(`{"op":"add","value":{"${key}":{"polluted":true}}}`),
        json(`{"op":"add","value":{"name":{"${key}":{"polluted":true}}}}`),
        json(`{"op":"add","path":"name","value":{"${key}":{"polluted":true}}}`),
        json(`{"op":"add","value":{"${ENTERPRISE}":{"${key}":{"polluted":true}}}}`),
        json(`{"op":"add","path":"emails","value":[{"value":"a@b.c","${key}":{"polluted":true}}]}`),
      ];
      for (const operation of bodies) expectRefusedHostile(() => inspectPatch(patch(operation), "User"), key, JSON.stringify(operation));
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it("treats an empty Operations array as a no-op [Entra validator]", () => {
    expect(userOps()).to.deep.equal([{ op: "replace", value: {} }]);
    expect(groupOps()).to.deep.equal([{ op: "replace", value: {} }]);
  });

  it("refuses unknown and missing ops, and a path-less remove", () => {
    expect(refusal(() => userOps({ op: "move", path: "title", value: "x" })).scimType).to.equal("invalidSyntax");
    expect(refusal(() => userOps({ op: "remove" })).scimType).to.equal("noTarget");
    expect(refusal(() => normalizePatch({ schemas: [PATCH_OP] }, "User")).scimType).to.equal("invalidSyntax");
  });
});
