import { expect } from "chai";
import { projectAttributes, selectsAttribute, withoutSelection } from "../../src/scim/project-attributes";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
import { ENTERPRISE } from "../support/urns";
const ROSTER = "urn:ietf:params:scim:schemas:extension:roster:2.0:User";

function user(): Record<string, unknown> {
  return {
    schemas: [CORE, ENTERPRISE, ROSTER],
    id: "u1",
    meta: { resourceType: "User", version: 'W/"1"' },
    userName: "ann",
    name: { givenName: "Ann", familyName: "Lee" },
    emails: [
      { value: "a@x.example", type: "work" },
      { value: "b@x.example", type: "home" },
    ],
    [ENTERPRISE]: { department: "Sales", manager: { value: "m1", displayName: "Boss" } },
    [ROSTER]: { leaveDate: "2099-01-01T00:00:00.000Z" },
  };
}

describe("projectAttributes", () => {
  it("returns the resource as is without a selection", () => {
    const resource = user();
    expect(projectAttributes(resource, {})).to.equal(resource);
    expect(projectAttributes(resource, { attributes: " , " })).to.equal(resource);
  });

  it("keeps the named attributes plus id and schemas [attributes]", () => {
    expect(projectAttributes(user(), { attributes: "userName" })).to.deep.equal({ schemas: [CORE], id: "u1", userName: "ann" });
  });

  it("matches names case-insensitively and keeps the resource's spelling", () => {
    expect(projectAttributes(user(), { attributes: "USERNAME,Name.GivenName" })).to.deep.equal({ schemas: [CORE], id: "u1", userName: "ann", name: { givenName: "Ann" } });
  });

  it("keeps a sub-attribute of every element of a multi-valued attribute", () => {
    expect(projectAttributes(user(), { attributes: "emails.type" }).emails).to.deep.equal([{ type: "work" }, { type: "home" }]);
  });

  it("resolves URN-qualified paths of the core schema and of extensions", () => {
    const projected = projectAttributes(user(), { attributes: `${CORE}:userName,${ENTERPRISE}:manager.value` });
    expect(projected).to.deep.equal({ schemas: [CORE, ENTERPRISE], id: "u1", userName: "ann", [ENTERPRISE]: { manager: { value: "m1" } } });
  });

  it("keeps a whole extension named by its URN", () => {
    expect(projectAttributes(user(), { attributes: ROSTER })).to.deep.equal({ schemas: [CORE, ROSTER], id: "u1", [ROSTER]: { leaveDate: "2099-01-01T00:00:00.000Z" } });
  });

  it("drops the named attributes and never id or schemas [excludedAttributes]", () => {
    const projected = projectAttributes(user(), { excludedAttributes: `id,schemas,emails,name.givenName,${ENTERPRISE}:manager.displayName,${ROSTER}` });
    expect(projected).to.deep.equal({
      schemas: [CORE, ENTERPRISE],
      id: "u1",
      meta: { resourceType: "User", version: 'W/"1"' },
      userName: "ann",
      name: { familyName: "Lee" },
      [ENTERPRISE]: { department: "Sales", manager: { value: "m1" } },
    });
  });

  it("drops an object emptied by exclusions", () => {
    expect(projectAttributes(user(), { excludedAttributes: "name.givenName,name.familyName" })).not.to.have.property("name");
  });

  it("lets attributes win over excludedAttributes when both are given", () => {
    expect(projectAttributes(user(), { attributes: "userName", excludedAttributes: "userName" })).to.deep.equal({ schemas: [CORE], id: "u1", userName: "ann" });
  });

  it("ignores unknown attributes", () => {
    expect(projectAttributes(user(), { attributes: "nope,constructor,__proto__" })).to.deep.equal({ schemas: [CORE], id: "u1" });
    expect(projectAttributes(user(), { excludedAttributes: "nope.deeper" })).to.deep.equal(user());
  });
});

describe("selectsAttribute", () => {
  it("says whether members survive the selection", () => {
    expect(selectsAttribute({}, "members")).to.equal(true);
    expect(selectsAttribute({ excludedAttributes: "Members" }, "members")).to.equal(false);
    expect(selectsAttribute({ excludedAttributes: "members.display" }, "members")).to.equal(true);
    expect(selectsAttribute({ attributes: "displayName" }, "members")).to.equal(false);
    expect(selectsAttribute({ attributes: "members.value" }, "members")).to.equal(true);
    expect(selectsAttribute({ attributes: "urn:ietf:params:scim:schemas:core:2.0:Group:members" }, "members")).to.equal(true);
  });
});

describe("withoutSelection", () => {
  it("removes attributes and excludedAttributes only", () => {
    expect(withoutSelection({ attributes: "a", excludedAttributes: "b", filter: "c" })).to.deep.equal({ filter: "c" });
  });
});
