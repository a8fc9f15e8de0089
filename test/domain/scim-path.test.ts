import { expect } from "chai";
import { parseAttributePath } from "../../src/domain/scim-path";
import { ENTERPRISE_USER } from "../../src/domain/types";

describe("parseAttributePath", () => {
  it("splits a core path into attribute and sub-attribute", () => {
    expect(parseAttributePath("name.givenName", {})).to.deep.equal({ urn: null, segments: ["name", "givenName"] });
  });

  it("treats the core User URN as no URN", () => {
    const path = "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName";
    expect(parseAttributePath(path, {})).to.deep.equal({ urn: null, segments: ["name", "givenName"] });
  });

  it("splits an extension path at the URN [absent from the resource]", () => {
    expect(parseAttributePath(`${ENTERPRISE_USER}:manager.value`, {})).to.deep.equal({
      urn: ENTERPRISE_USER,
      segments: ["manager", "value"],
    });
  });

  it("splits an extension path at a URN the resource carries", () => {
    const urn = "urn:example:ext:v1:User";
    expect(parseAttributePath(`${urn}:costCenter`, { [urn]: {} })).to.deep.equal({ urn, segments: ["costCenter"] });
  });
});
