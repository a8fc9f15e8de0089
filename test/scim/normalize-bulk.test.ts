import { expect } from "chai";
import { normalizeBulk, orderByBulkIdReferences } from "../../src/scim/normalize-bulk";

const user = (bulkId: string, extra: Record<string, unknown> = {}) => ({ method: "POST", path: "/Users", bulkId, data: { userName: bulkId, ...extra } });
const group = (bulkId: string, members: string[]) => ({ method: "POST", path: "/Groups", bulkId, data: { displayName: bulkId, members: members.map((value) => ({ value })) } });

describe("orderByBulkIdReferences", () => {
  it("keeps the order when every reference points backwards", () => {
    const operations = [user("u1"), group("g1", ["bulkId:u1"])];
    expect(orderByBulkIdReferences(operations)).to.deep.equal(operations);
  });

  it("moves a referenced POST before its first reference [forward reference]", () => {
    const operations = [group("g1", ["bulkId:u1", "bulkId:u2"]), user("u0"), user("u1"), user("u2")];
    expect(orderByBulkIdReferences(operations).map((operation) => operation.bulkId)).to.deep.equal(["u1", "u2", "g1", "u0"]);
  });

  it("follows chains of references", () => {
    const manager = (bulkId: string, of: string) => user(bulkId, { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: `bulkId:${of}` } } });
    const operations = [manager("a", "b"), manager("b", "c"), user("c")];
    expect(orderByBulkIdReferences(operations).map((operation) => operation.bulkId)).to.deep.equal(["c", "b", "a"]);
  });

  it("leaves a reference cycle and unknown bulkIds alone", () => {
    const operations = [group("g1", ["bulkId:g2"]), group("g2", ["bulkId:g1"]), group("g3", ["bulkId:nowhere"])];
    expect(orderByBulkIdReferences(operations).map((operation) => operation.bulkId)).to.have.members(["g1", "g2", "g3"]);
    expect(orderByBulkIdReferences(operations)[2].bulkId).to.equal("g3");
  });
});

describe("normalizeBulk", () => {
  it("normalizes each operation's data as the single-resource routes do", () => {
    const normalized = normalizeBulk({ Operations: [{ method: "POST", path: "/Users", bulkId: "u", data: { userName: "x", active: "True", title: null } }] }, 10);
    expect((normalized.request.Operations as Array<{ data: unknown }>)[0].data).to.deep.equal({ userName: "x", active: true });
    expect(normalized.refused).to.deep.equal([]);
  });

  it("refuses only the operation whose body cannot be normalized [unknown attribute]", () => {
    const normalized = normalizeBulk({ Operations: [user("a"), { method: "POST", path: "/Users", bulkId: "bad", data: { userName: "b", nosuch: 1 } }, user("c")] }, 10);
    expect((normalized.request.Operations as unknown[]).length).to.equal(2);
    expect(normalized.refused.map((op) => [op.method, op.bulkId, op.error.status, op.error.scimType])).to.deep.equal([["POST", "bad", 400, "invalidSyntax"]]);
  });

  it("refuses more operations than the limit with 413", () => {
    expect(() => normalizeBulk({ Operations: [user("a"), user("b")] }, 1)).to.throw().with.property("status", 413);
  });
});
