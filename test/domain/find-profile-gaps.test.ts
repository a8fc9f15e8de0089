import { expect } from "chai";
import { findProfileGaps } from "../../src/domain/find-profile-gaps";
import { ENTERPRISE_USER } from "../../src/domain/types";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

describe("findProfileGaps", () => {
  const complete = {
    userName: "ann@example.com",
    title: "Engineer",
    name: { givenName: "Ann", familyName: "Lee" },
    emails: [{ value: "ann@example.com", type: "work", primary: true }],
    [ENTERPRISE_USER]: { department: "R&D", manager: { value: "m1", displayName: "Mia" } },
  };

  it("returns nothing when every required path has a value", () => {
    const paths = ["title", "name.givenName", "emails", "emails.value", `${ENTERPRISE_USER}:department`, `${ENTERPRISE_USER}:manager`];
    expect(findProfileGaps(complete, paths)).to.deep.equal([]);
  });

  it("names the missing paths in policy order with the policy's spelling", () => {
    const user = { userName: "ann" };
    const paths = ["Name.FamilyName", "emails", "name.givenName"];
    expect(findProfileGaps(user, paths)).to.deep.equal(["Name.FamilyName", "emails", "name.givenName"]);
  });

  it("matches attribute names case-insensitively [path and data]", () => {
    const user = { Title: "Engineer", NAME: { GivenName: "Ann" } };
    expect(findProfileGaps(user, ["TITLE", "name.givenname"])).to.deep.equal([]);
  });

  it("counts missing, null, empty and whitespace-only values as missing", () => {
    const user = { title: "   ", nickName: "", displayName: null, name: { givenName: "\t" } };
    expect(findProfileGaps(user, ["title", "nickName", "displayName", "name.givenName", "locale"])).to.deep.equal([
      "title",
      "nickName",
      "displayName",
      "name.givenName",
      "locale",
    ]);
  });

  it("counts an object with no filled value as missing [complex attribute]", () => {
    expect(findProfileGaps({ name: {} }, ["name"])).to.deep.equal(["name"]);
    expect(findProfileGaps({ name: { givenName: " " } }, ["name"])).to.deep.equal(["name"]);
    expect(findProfileGaps({ name: { familyName: "Lee" } }, ["name"])).to.deep.equal([]);
  });

  it("requires at least one filled value of a multi-valued attribute [emails]", () => {
    expect(findProfileGaps({ emails: [] }, ["emails"])).to.deep.equal(["emails"]);
    expect(findProfileGaps({ emails: [{ value: "" }, { value: " " }] }, ["emails"])).to.deep.equal(["emails"]);
    expect(findProfileGaps({ emails: [{ type: "work", primary: true }] }, ["emails"])).to.deep.equal(["emails"]);
    expect(findProfileGaps({ emails: [{ value: "" }, { value: "a@x.com" }] }, ["emails"])).to.deep.equal([]);
  });

  it("requires at least one filled value of a multi-valued attribute [emails.value]", () => {
    expect(findProfileGaps({ emails: [{ type: "work" }] }, ["emails.value"])).to.deep.equal(["emails.value"]);
    expect(findProfileGaps({ emails: [{ type: "work" }, { value: "a@x.com" }] }, ["emails.value"])).to.deep.equal([]);
  });

  it("reads extension attributes through a URN-qualified path", () => {
    const path = `${ENTERPRISE_USER}:department`;
    expect(findProfileGaps({ [ENTERPRISE_USER]: { department: "Sales" } }, [path])).to.deep.equal([]);
    expect(findProfileGaps({ [ENTERPRISE_USER]: { department: " " } }, [path])).to.deep.equal([path]);
    expect(findProfileGaps({ department: "Sales" }, [path])).to.deep.equal([path]);
    expect(findProfileGaps({}, [path])).to.deep.equal([path]);
  });

  it("matches the extension URN case-insensitively", () => {
    const user = { [ENTERPRISE_USER.toLowerCase()]: { Department: "Sales" } };
    expect(findProfileGaps(user, [`${ENTERPRISE_USER}:department`])).to.deep.equal([]);
  });

  it("needs a manager reference, not just a display name [manager and manager.value]", () => {
    const manager = `${ENTERPRISE_USER}:manager`;
    const managerValue = `${ENTERPRISE_USER}:manager.value`;
    const withName = { [ENTERPRISE_USER]: { manager: { displayName: "Mia" } } };
    expect(findProfileGaps(withName, [manager, managerValue])).to.deep.equal([manager, managerValue]);
    const withValue = { [ENTERPRISE_USER]: { manager: { value: "m1" } } };
    expect(findProfileGaps(withValue, [manager, managerValue])).to.deep.equal([]);
  });

  it("reads core attributes through a core-URN-qualified path", () => {
    const path = `${CORE}:name.givenName`;
    expect(findProfileGaps({ name: { givenName: "Ann" } }, [path])).to.deep.equal([]);
    expect(findProfileGaps({ name: { familyName: "Lee" } }, [path])).to.deep.equal([path]);
  });

  it("accepts an extension attribute flattened under its full path key", () => {
    const path = `${ENTERPRISE_USER}:department`;
    expect(findProfileGaps({ [path]: "Sales" }, [path])).to.deep.equal([]);
  });

  it("does not look for unqualified names in extensions [core only]", () => {
    expect(findProfileGaps({ [ENTERPRISE_USER]: { department: "Sales" } }, ["department"])).to.deep.equal(["department"]);
  });

  it("counts false and 0 as values", () => {
    expect(findProfileGaps({ active: false, x: 0 }, ["active", "x"])).to.deep.equal([]);
  });

  it("names a path listed twice once", () => {
    expect(findProfileGaps({}, ["title", "title"])).to.deep.equal(["title"]);
  });
});
