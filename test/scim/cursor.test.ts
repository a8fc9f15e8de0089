import { expect } from "chai";
import { afterPosition, decodeCursor, encodeCursor } from "../../src/scim/cursor";

describe("encodeCursor / decodeCursor", () => {
  it("round-trips a position, dates included", () => {
    const at = new Date("2024-05-06T07:08:09.010Z");
    expect(decodeCursor(encodeCursor("lastModified", -1, at, "id-1"), "lastModified", -1, "dateTime")).to.deep.equal({ value: at, id: "id-1" });
    expect(decodeCursor(encodeCursor("userNameKey", 1, "ann", "id-2"), "userNameKey", 1)).to.deep.equal({ value: "ann", id: "id-2" });
  });

  it("refuses a cursor of another sort field or order with invalidCursor", () => {
    const cursor = encodeCursor("userNameKey", 1, "ann", "id-2");
    expect(() => decodeCursor(cursor, "displayNameKey", 1)).to.throw().with.property("scimType", "invalidCursor");
    expect(() => decodeCursor(cursor, "userNameKey", -1)).to.throw().with.property("scimType", "invalidCursor");
    expect(() => decodeCursor("%%%", "userNameKey", 1)).to.throw().with.property("scimType", "invalidCursor");
  });
});

describe("afterPosition", () => {
  it("pages by id alone for the default order", () => {
    expect(afterPosition("_id", 1, { value: "x", id: "i" })).to.deep.equal({ _id: { $gt: "i" } });
    expect(afterPosition("_id", -1, { value: "x", id: "i" })).to.deep.equal({ _id: { $lt: "i" } });
  });

  it("continues past equal values by id", () => {
    expect(afterPosition("f", 1, { value: "v", id: "i" })).to.deep.equal({ $or: [{ f: { $gt: "v" } }, { f: "v", _id: { $gt: "i" } }] });
  });

  it("includes the missing values that sort last when descending", () => {
    expect(afterPosition("f", -1, { value: "v", id: "i" })).to.deep.equal({ $or: [{ f: { $lt: "v" } }, { f: "v", _id: { $lt: "i" } }, { f: null }] });
  });

  it("goes from the missing values, which sort first, to every present value when ascending", () => {
    expect(afterPosition("f", 1, { value: null, id: "i" })).to.deep.equal({ $or: [{ f: null, _id: { $gt: "i" } }, { f: { $ne: null } }] });
  });

  it("stays among the missing values, which sort last, when descending", () => {
    expect(afterPosition("f", -1, { value: null, id: "i" })).to.deep.equal({ f: null, _id: { $lt: "i" } });
  });
});
