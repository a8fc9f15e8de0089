import { expect } from "chai";
import { diffForAudit } from "../../src/domain/diff-for-audit";
import { ENTERPRISE_USER, GROUP_MANAGER_PATH, ROSTER_GROUP, USER_MANAGER_PATH } from "../../src/domain/types";

describe("diffForAudit", () => {
  const before = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id: "u1",
    meta: { version: 'W/"1"', lastModified: "2024-01-01T00:00:00.000Z" },
    userName: "ann@x.com",
    active: true,
    name: { givenName: "Ann", familyName: "Lee" },
    emails: [{ value: "ann@x.com", type: "work" }],
    groups: [{ value: "g1" }],
    [ENTERPRISE_USER]: { department: "Ops", manager: { value: "m1", displayName: "Mia" } },
  };

  it("records only the changed fields", () => {
    const after = { ...before, meta: { version: 'W/"2"' }, active: false };
    expect(diffForAudit(before, after)).to.deep.equal({ before: { active: true }, after: { active: false } });
  });

  it("keys complex attributes one level down [name.givenName]", () => {
    const after = { ...before, name: { givenName: "Anna", familyName: "Lee" } };
    expect(diffForAudit(before, after)).to.deep.equal({ before: { "name.givenName": "Ann" }, after: { "name.givenName": "Anna" } });
  });

  it("records multi-valued attributes as a whole [emails]", () => {
    const after = { ...before, emails: [{ value: "ann@y.com", type: "work" }] };
    expect(diffForAudit(before, after)).to.deep.equal({
      before: { emails: [{ value: "ann@x.com", type: "work" }] },
      after: { emails: [{ value: "ann@y.com", type: "work" }] },
    });
  });

  it("ignores a reordering of multi-valued attributes", () => {
    const a = { emails: [{ value: "a@x.com" }, { value: "b@x.com" }] };
    const b = { emails: [{ value: "b@x.com" }, { value: "a@x.com" }] };
    expect(diffForAudit(a, b)).to.deep.equal({ before: {}, after: {} });
  });

  it("keys extension attributes by URN and records a manager as {value} only", () => {
    const after = { ...before, [ENTERPRISE_USER]: { department: "Sales", manager: { value: "m2", displayName: "Max" } } };
    expect(diffForAudit(before, after)).to.deep.equal({
      before: { [`${ENTERPRISE_USER}:department`]: "Ops", [USER_MANAGER_PATH]: { value: "m1" } },
      after: { [`${ENTERPRISE_USER}:department`]: "Sales", [USER_MANAGER_PATH]: { value: "m2" } },
    });
  });

  it("ignores a change of the manager's display name only", () => {
    const after = { ...before, [ENTERPRISE_USER]: { department: "Ops", manager: { value: "m1", displayName: "Mia Q" } } };
    expect(diffForAudit(before, after)).to.deep.equal({ before: {}, after: {} });
  });

  it("records a group leader change by the Roster group extension path", () => {
    const group = { displayName: "Team", [ROSTER_GROUP]: { manager: { value: "u1", display: "Ann" } } };
    const changed = { displayName: "Team", [ROSTER_GROUP]: { manager: { value: "u2", display: "Bob" } } };
    expect(diffForAudit(group, changed)).to.deep.equal({
      before: { [GROUP_MANAGER_PATH]: { value: "u1" } },
      after: { [GROUP_MANAGER_PATH]: { value: "u2" } },
    });
  });

  it("shows a field absent on one side as null on that side [cleared manager, new title]", () => {
    const after = { ...before, title: "Lead", [ENTERPRISE_USER]: { department: "Ops" } };
    expect(diffForAudit(before, after)).to.deep.equal({
      before: { title: null, [USER_MANAGER_PATH]: { value: "m1" } },
      after: { title: "Lead", [USER_MANAGER_PATH]: null },
    });
  });

  it("treats null and an empty array as absent", () => {
    expect(diffForAudit({ title: null, emails: [] }, {})).to.deep.equal({ before: {}, after: {} });
  });

  it("never records meta, id, schemas, groups or password", () => {
    const a = { id: "1", meta: { version: "1" }, schemas: ["a"], groups: [{ value: "g1" }], password: "old" };
    const b = { id: "2", meta: { version: "2" }, schemas: ["b"], groups: [], password: "new" };
    expect(diffForAudit(a, b)).to.deep.equal({ before: {}, after: {} });
  });

  it("copies values so later changes to the resource do not alter the entry", () => {
    const after = { ...before, emails: [{ value: "new@x.com" }] };
    const change = diffForAudit(before, after);
    after.emails[0].value = "mutated@x.com";
    expect(change.after.emails).to.deep.equal([{ value: "new@x.com" }]);
  });
});
