import { expect } from "chai";
import { checkSelection, projectAttributes, selectsAttribute } from "../../src/scim/project-attributes";
import { INPUT_LIMITS } from "../../src/scim/input-limits";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

function prototypeNames(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe("projectAttributes (hostile paths)", () => {
  const before = prototypeNames();
  afterEach(function restorePrototype() {
    for (const key of prototypeNames()) if (!before.includes(key)) delete (Object.prototype as Record<string, unknown>)[key];
  });

  for (const path of ["__proto__.filter", "__proto__", "__PROTO__.x", "constructor.prototype.x", "prototype.x", "name.__proto__.x", `${CORE}:__proto__.x`, "emails.constructor.x"]) {
    it(`adds nothing to Object.prototype and keeps the resource [${path}]`, () => {
      const resource = { schemas: [CORE], id: "u1", userName: "ann", name: { givenName: "Ann" }, emails: [{ value: "a@x.example" }] };
      expect(projectAttributes(resource, { excludedAttributes: path })).to.deep.equal(resource);
      expect(projectAttributes(resource, { attributes: path })).to.deep.equal({ schemas: [CORE], id: "u1" });
      expect(selectsAttribute({ excludedAttributes: path }, "members")).to.equal(true);
      expect(prototypeNames()).to.deep.equal(before);
    });
  }

  it("keeps a __proto__ key of the resource as a key", () => {
    const resource = JSON.parse(`{"schemas":["${CORE}"],"id":"u1","__proto__":{"polluted":true}}`) as Record<string, unknown>;
    const projected = projectAttributes(resource, { attributes: "__proto__" });
    expect(Object.getPrototypeOf(projected)).to.equal(Object.prototype);
    expect(Object.keys(projected)).to.include("__proto__");
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("refuses selections over INPUT_LIMITS with invalidValue", () => {
    const many = Array.from({ length: INPUT_LIMITS.maxAttributePaths + 1 }, (_unused, index) => `a${index}`).join(",");
    expect(() => checkSelection({ attributes: many })).to.throw().with.property("scimType", "invalidValue");
    expect(() => checkSelection({ excludedAttributes: "a".repeat(INPUT_LIMITS.maxAttributesLength + 1) })).to.throw().with.property("scimType", "invalidValue");
    expect(() => checkSelection({ attributes: ["a", "b"] as unknown as string })).to.throw().with.property("scimType", "invalidValue");
  });
});
