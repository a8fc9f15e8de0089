import { expect } from "chai";
import { noneMatch, parseVersionHeader } from "../../src/http/scim-router";

describe("parseVersionHeader", () => {
  it("reads weak, strong and bare versions; * means any", () => {
    expect(parseVersionHeader('W/"3"')).to.equal(3);
    expect(parseVersionHeader('"3"')).to.equal(3);
    expect(parseVersionHeader("3")).to.equal(3);
    expect(parseVersionHeader("*")).to.equal(undefined);
    expect(parseVersionHeader(undefined)).to.equal(undefined);
  });

  it("refuses a tag that names no version with 412", () => {
    expect(() => parseVersionHeader("garbage")).to.throw().with.property("status", 412);
  });
});

describe("noneMatch", () => {
  it("matches by weak comparison, in a list, and *", () => {
    expect(noneMatch('W/"3"', 'W/"3"')).to.equal(true);
    expect(noneMatch('"3"', 'W/"3"')).to.equal(true);
    expect(noneMatch('W/"1", W/"3"', 'W/"3"')).to.equal(true);
    expect(noneMatch("*", 'W/"3"')).to.equal(true);
  });

  it("does not match another version or no header", () => {
    expect(noneMatch('W/"2"', 'W/"3"')).to.equal(false);
    expect(noneMatch('W/"33"', 'W/"3"')).to.equal(false);
    expect(noneMatch(undefined, 'W/"3"')).to.equal(false);
  });
});
