import { expect } from "chai";
import { FilterError } from "../../../src/scim/filter/filter-error";
import { parseFilter } from "../../../src/scim/filter/parse-filter";

import { ENTERPRISE } from "../../support/urns";

function parseError(text: string): FilterError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).to.be.instanceOf(FilterError);
    return error as FilterError;
  }
  return expect.fail(`expected a FilterError for ${text}`);
}

describe("parseFilter", () => {
  describe("attribute expressions", () => {
    for (const op of ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]) {
      it(`parses the ${op} comparison`, () => {
        expect(parseFilter(`userName ${op} "bob"`)).to.deep.equal({ kind: "compare", attrPath: "userName", op, value: "bob" });
      });
    }

    it("parses pr as a presence test", () => {
      expect(parseFilter("title pr")).to.deep.equal({ kind: "present", attrPath: "title" });
    });

    it("reads operator keywords in any case [Eq, EQ, PR]", () => {
      expect(parseFilter(`userName Eq "a"`)).to.deep.include({ op: "eq" });
      expect(parseFilter(`userName EQ "a"`)).to.deep.include({ op: "eq" });
      expect(parseFilter("title PR")).to.deep.equal({ kind: "present", attrPath: "title" });
    });

    it("keeps the attribute path as written [sub-attribute, other case]", () => {
      expect(parseFilter(`Name.GivenName eq "Ann"`)).to.deep.include({ attrPath: "Name.GivenName" });
    });

    it("keeps a schema URN prefix in the attribute path", () => {
      expect(parseFilter(`${ENTERPRISE}:manager.value eq "m1"`)).to.deep.equal({
        kind: "compare", attrPath: `${ENTERPRISE}:manager.value`, op: "eq", value: "m1",
      });
    });

    it("accepts extra whitespace around tokens", () => {
      expect(parseFilter(`  userName   eq\t"a"  `)).to.deep.equal({ kind: "compare", attrPath: "userName", op: "eq", value: "a" });
    });
  });

  describe("values", () => {
    it("decodes JSON string escapes", () => {
      expect(parseFilter(String.raw`displayName eq "a \"b\" \\ \u00e9\n"`)).to.deep.include({ value: 'a "b" \\ é\n' });
    });

    it("parses numbers as numbers", () => {
      expect(parseFilter("x eq -1.5e2")).to.deep.include({ value: -150 });
    });

    it("parses true, false and null in any case", () => {
      expect(parseFilter("active eq True")).to.deep.include({ value: true });
      expect(parseFilter("active eq FALSE")).to.deep.include({ value: false });
      expect(parseFilter("title eq Null")).to.deep.include({ value: null });
    });

    it("takes an unquoted word as a string [old Entra samples]", () => {
      expect(parseFilter("DisplayName eq Bob")).to.deep.equal({ kind: "compare", attrPath: "DisplayName", op: "eq", value: "Bob" });
    });

    it("keeps an unquoted word that is not a JSON number as a string [leading zeros]", () => {
      expect(parseFilter("employeeNumber eq 00123")).to.deep.include({ value: "00123" });
    });

    it("keeps quoted true, null and numbers as strings", () => {
      expect(parseFilter(`title eq "true"`)).to.deep.include({ value: "true" });
      expect(parseFilter(`title eq "null"`)).to.deep.include({ value: "null" });
      expect(parseFilter(`title eq "12"`)).to.deep.include({ value: "12" });
    });

    it("keeps a $-prefixed value a plain string", () => {
      expect(parseFilter(`userName eq "$gt"`)).to.deep.include({ value: "$gt" });
    });
  });

  describe("logical expressions", () => {
    const a = { kind: "present", attrPath: "a" };
    const b = { kind: "present", attrPath: "b" };
    const c = { kind: "present", attrPath: "c" };

    it("binds and tighter than or", () => {
      expect(parseFilter("a pr or b pr and c pr")).to.deep.equal({ kind: "or", filters: [a, { kind: "and", filters: [b, c] }] });
      expect(parseFilter("a pr and b pr or c pr")).to.deep.equal({ kind: "or", filters: [{ kind: "and", filters: [a, b] }, c] });
    });

    it("binds not tighter than and", () => {
      expect(parseFilter("not (a pr) and b pr")).to.deep.equal({ kind: "and", filters: [{ kind: "not", filter: a }, b] });
    });

    it("negates a whole parenthesised or [not (a or b)]", () => {
      expect(parseFilter("not (a pr or b pr)")).to.deep.equal({ kind: "not", filter: { kind: "or", filters: [a, b] } });
    });

    it("lets parentheses override precedence", () => {
      expect(parseFilter("(a pr or b pr) and c pr")).to.deep.equal({ kind: "and", filters: [{ kind: "or", filters: [a, b] }, c] });
    });

    it("parses nested parentheses", () => {
      expect(parseFilter("((a pr) and ((b pr) or (not (c pr))))")).to.deep.equal({
        kind: "and", filters: [a, { kind: "or", filters: [b, { kind: "not", filter: c }] }],
      });
    });

    it("collects a chain of the same operator into one node", () => {
      expect(parseFilter("a pr and b pr and c pr")).to.deep.equal({ kind: "and", filters: [a, b, c] });
    });

    it("reads logical keywords in any case [AND, Or, NOT]", () => {
      expect(parseFilter("NOT (a pr) AND b pr Or c pr")).to.deep.equal({
        kind: "or", filters: [{ kind: "and", filters: [{ kind: "not", filter: a }, b] }, c],
      });
    });

    it("accepts not before a bare attribute expression [lenient]", () => {
      expect(parseFilter("not a pr")).to.deep.equal({ kind: "not", filter: a });
    });

    it("does not take an attribute that starts with a keyword for the keyword [order, notes]", () => {
      expect(parseFilter("a pr or order pr")).to.deep.equal({ kind: "or", filters: [a, { kind: "present", attrPath: "order" }] });
      expect(parseFilter("notes pr")).to.deep.equal({ kind: "present", attrPath: "notes" });
    });
  });

  describe("value paths", () => {
    it("parses a value path with a logical filter inside", () => {
      expect(parseFilter(`emails[type eq "work" and value co "@x.com"]`)).to.deep.equal({
        kind: "valuePath",
        attrPath: "emails",
        filter: {
          kind: "and",
          filters: [
            { kind: "compare", attrPath: "type", op: "eq", value: "work" },
            { kind: "compare", attrPath: "value", op: "co", value: "@x.com" },
          ],
        },
      });
    });

    it("folds a trailing sub-attribute comparison into the element filter [emails[…].value eq]", () => {
      expect(parseFilter(`emails[type eq "work"].value eq "a@b.com"`)).to.deep.equal({
        kind: "valuePath",
        attrPath: "emails",
        filter: {
          kind: "and",
          filters: [
            { kind: "compare", attrPath: "type", op: "eq", value: "work" },
            { kind: "compare", attrPath: "value", op: "eq", value: "a@b.com" },
          ],
        },
      });
    });

    it("keeps an or inside the brackets apart from the trailing comparison", () => {
      expect(parseFilter(`emails[type eq "a" or type eq "b"].value pr`)).to.deep.equal({
        kind: "valuePath",
        attrPath: "emails",
        filter: {
          kind: "and",
          filters: [
            { kind: "or", filters: [{ kind: "compare", attrPath: "type", op: "eq", value: "a" }, { kind: "compare", attrPath: "type", op: "eq", value: "b" }] },
            { kind: "present", attrPath: "value" },
          ],
        },
      });
    });

    it("combines value paths with logical operators", () => {
      expect(parseFilter(`userName pr and not (emails[type eq "work"])`)).to.deep.equal({
        kind: "and",
        filters: [
          { kind: "present", attrPath: "userName" },
          { kind: "not", filter: { kind: "valuePath", attrPath: "emails", filter: { kind: "compare", attrPath: "type", op: "eq", value: "work" } } },
        ],
      });
    });
  });

  describe("syntax errors", () => {
    it("rejects an empty filter", () => {
      expect(parseError("   ").message).to.match(/empty/);
    });

    it("rejects an unclosed parenthesis", () => {
      expect(parseError(`(userName eq "a"`).message).to.match(/expected "\)"/);
    });

    it("rejects an unopened parenthesis", () => {
      expect(parseError(`userName eq "a")`).message).to.match(/found "\)"/);
    });

    it("rejects an unclosed value path", () => {
      expect(parseError(`emails[type eq "work"`).message).to.match(/expected "\]"/);
    });

    it("rejects a missing value [end of filter, before a parenthesis]", () => {
      expect(parseError("userName eq").message).to.match(/missing value/);
      expect(parseError("(userName eq )").message).to.match(/missing value/);
    });

    it("rejects a missing operator", () => {
      expect(parseError("userName").message).to.match(/expected an operator/);
    });

    it("rejects an unknown operator", () => {
      expect(parseError(`userName like "a"`).message).to.match(/unknown operator "like"/);
    });

    it("rejects trailing garbage", () => {
      expect(parseError(`userName eq "a" "b"`).message).to.match(/found ""b""/);
      expect(parseError(`userName eq "a" xor title pr`).message).to.match(/found "xor/);
      expect(parseError(`title pr "x"`).message).to.match(/found/);
    });

    it("rejects a dangling logical operator", () => {
      expect(parseError("title pr and").message).to.match(/expected an attribute path/);
      expect(parseError("not").message).to.match(/expected an attribute path/);
    });

    it("rejects an unterminated string", () => {
      expect(parseError(`userName eq "abc`).message).to.match(/unterminated/);
      expect(parseError(`userName eq "abc\\"`).message).to.match(/unterminated/);
    });

    it("rejects an invalid escape in a string", () => {
      expect(parseError(String.raw`userName eq "a\x"`).message).to.match(/invalid string/);
    });

    it("rejects a malformed attribute path [two sub-attributes, leading digit, foreign prefix]", () => {
      expect(parseError(`name.givenName.x eq "a"`).message).to.match(/not a valid attribute path/);
      expect(parseError(`2fa eq "a"`).message).to.match(/not a valid attribute path/);
      expect(parseError(`foo:bar eq "a"`).message).to.match(/not a valid attribute path/);
    });

    it("rejects a value path inside a value path", () => {
      expect(parseError(`emails[type[value eq "a"]]`).message).to.match(/cannot contain another value path/);
    });

    it("rejects a missing sub-attribute after a value path", () => {
      expect(parseError(`emails[type eq "work"]. eq "a"`).message).to.match(/sub-attribute/);
    });

    it("rejects nesting deeper than the limit", () => {
      const deep = `${"(".repeat(100)}title pr${")".repeat(100)}`;
      expect(parseError(deep).message).to.match(/nests deeper/);
    });

    it("accepts nesting within the limit", () => {
      expect(parseFilter(`${"(".repeat(30)}title pr${")".repeat(30)}`)).to.deep.equal({ kind: "present", attrPath: "title" });
    });
  });
});
