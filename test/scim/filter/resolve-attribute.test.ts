import { expect } from "chai";
import { GROUP_ATTRIBUTES, USER_ATTRIBUTES } from "../../../src/scim/filter/attribute-map";
import { FilterError } from "../../../src/scim/filter/filter-error";
import { resolveAttribute, resolveSubAttribute } from "../../../src/scim/filter/resolve-attribute";

describe("resolveAttribute", () => {
  it("resolves a singular attribute with its caseExact and shadow key", () => {
    expect(resolveAttribute("userName", USER_ATTRIBUTES)).to.deep.equal({
      kind: "singular", spec: { field: "userName", type: "string", caseExact: false, shadow: "userNameKey" },
    });
  });

  it("resolves a multi-valued attribute by its canonical name [EMAILS]", () => {
    const resolved = resolveAttribute("EMAILS", USER_ATTRIBUTES);
    expect(resolved).to.include({ kind: "multiValued", name: "emails" });
  });

  it("resolves a sub-attribute of a multi-valued attribute [addresses.postalCode]", () => {
    const resolved = resolveAttribute("addresses.POSTALCODE", USER_ATTRIBUTES);
    expect(resolved).to.deep.include({ kind: "subAttribute", name: "addresses", spec: { field: "postalCode", type: "string", caseExact: false } });
  });

  it("resolves the Roster leaveDate as a dateTime", () => {
    const resolved = resolveAttribute("urn:ietf:params:scim:schemas:extension:roster:2.0:User:leaveDate", USER_ATTRIBUTES);
    expect(resolved).to.deep.equal({ kind: "singular", spec: { field: "roster.leaveDate", type: "dateTime", caseExact: false } });
  });

  it("resolves an unprefixed extension attribute of a group [manager.value]", () => {
    expect(resolveAttribute("manager.value", GROUP_ATTRIBUTES)).to.deep.equal({
      kind: "singular", spec: { field: "roster.manager.value", type: "string", caseExact: true },
    });
  });

  it("rejects a multi-valued attribute with two sub-attribute levels", () => {
    expect(() => resolveAttribute("emails.value.x", USER_ATTRIBUTES)).to.throw(FilterError, /unknown attribute/);
  });
});

describe("resolveSubAttribute", () => {
  it("resolves a sub-attribute case-insensitively", () => {
    const multi = USER_ATTRIBUTES.schemas["urn:ietf:params:scim:schemas:core:2.0:User"].multiValued.emails;
    expect(resolveSubAttribute("Primary", "emails", multi)).to.deep.equal({ field: "primary", type: "boolean", caseExact: false });
  });

  it("rejects an unknown sub-attribute, naming the full path", () => {
    const multi = USER_ATTRIBUTES.schemas["urn:ietf:params:scim:schemas:core:2.0:User"].multiValued.emails;
    expect(() => resolveSubAttribute("hasOwnProperty", "emails", multi)).to.throw(FilterError, /unknown attribute "emails.hasOwnProperty"/);
  });
});
