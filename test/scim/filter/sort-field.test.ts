import { expect } from "chai";
import { GROUP_ATTRIBUTES, USER_ATTRIBUTES } from "../../../src/scim/filter/attribute-map";
import { FilterError } from "../../../src/scim/filter/filter-error";
import { sortField } from "../../../src/scim/filter/sort-field";

describe("sortField", () => {
  it("sorts userName and displayName by their shadow keys [case-insensitive, indexed]", () => {
    expect(sortField("userName", USER_ATTRIBUTES)).to.equal("userNameKey");
    expect(sortField("DisplayName", USER_ATTRIBUTES)).to.equal("displayNameKey");
    expect(sortField("displayName", GROUP_ATTRIBUTES)).to.equal("displayNameKey");
  });

  it("sorts id by _id", () => {
    expect(sortField("id", USER_ATTRIBUTES)).to.equal("_id");
  });

  it("sorts meta dates and sub-attributes by their stored fields", () => {
    expect(sortField("meta.lastModified", USER_ATTRIBUTES)).to.equal("lastModified");
    expect(sortField("name.familyName", USER_ATTRIBUTES)).to.equal("name.familyName");
  });

  it("sorts a URN-prefixed extension attribute", () => {
    expect(sortField("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", USER_ATTRIBUTES)).to.equal("enterprise.department");
  });

  it("sorts emails and emails.value by emailKeys", () => {
    expect(sortField("emails", USER_ATTRIBUTES)).to.equal("emailKeys");
    expect(sortField("emails.value", USER_ATTRIBUTES)).to.equal("emailKeys");
  });

  it("sorts another multi-valued attribute by its value", () => {
    expect(sortField("phoneNumbers", USER_ATTRIBUTES)).to.equal("phoneNumbers.value");
  });

  it("rejects an unknown attribute", () => {
    expect(() => sortField("shoeSize", USER_ATTRIBUTES)).to.throw(FilterError, /unknown attribute "shoeSize"/);
  });

  it("rejects members, which live in another collection", () => {
    expect(() => sortField("members.value", GROUP_ATTRIBUTES)).to.throw(FilterError, /cannot sort by/);
  });

  it("rejects a multi-valued attribute without a value [addresses]", () => {
    expect(() => sortField("addresses", USER_ATTRIBUTES)).to.throw(FilterError, /unknown attribute "addresses.value"/);
  });
});
