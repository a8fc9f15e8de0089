import { expect } from "chai";
import { redactAuditValues } from "../../src/domain/redact-audit-values";

describe("redactAuditValues", () => {
  const personal = ["Ann", "ann.lee@x.com", "IT"];

  it("redacts equal strings ignoring case", () => {
    expect(redactAuditValues("ANN.LEE@X.COM", personal)).to.equal("[redacted]");
  });

  it("redacts strings that contain a personal value as a whole word", () => {
    expect(redactAuditValues("Ann Lee", personal)).to.equal("[redacted]");
    expect(redactAuditValues("mailto:ann.lee@x.com", personal)).to.equal("[redacted]");
  });

  it("keeps strings where the personal value is only part of a word", () => {
    expect(redactAuditValues("Annual review", personal)).to.equal("Annual review");
    expect(redactAuditValues("Digital", personal)).to.equal("Digital");
    expect(redactAuditValues("Joann", personal)).to.equal("Joann");
  });

  it("redacts deep inside objects and arrays and leaves other values alone", () => {
    const entry = {
      before: { "name.givenName": "Ann", emails: [{ value: "ann.lee@x.com", type: "work", primary: true }], active: true, n: 3 },
      after: { "name.givenName": null, title: "Ops" },
    };
    expect(redactAuditValues(entry, personal)).to.deep.equal({
      before: { "name.givenName": "[redacted]", emails: [{ value: "[redacted]", type: "work", primary: true }], active: true, n: 3 },
      after: { "name.givenName": null, title: "Ops" },
    });
  });

  it("returns a copy and leaves the input untouched", () => {
    const value = { a: ["Ann"] };
    const redacted = redactAuditValues(value, personal);
    expect(value).to.deep.equal({ a: ["Ann"] });
    expect(redacted).not.to.equal(value);
  });

  it("treats regular-expression characters in personal values literally", () => {
    expect(redactAuditValues("call +44 (20) 7946", ["+44 (20) 7946"])).to.equal("[redacted]");
    expect(redactAuditValues("annXlee@x.com", ["ann.lee@x.com"])).to.equal("annXlee@x.com");
  });

  it("ignores blank personal values", () => {
    expect(redactAuditValues("anything", ["", "  "])).to.equal("anything");
  });
});
