import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { ERROR_KINDS, RosterError, errorKindFor, type ErrorKind } from "../../src/domain/roster-error";

const README = path.join(__dirname, "..", "..", "..", "README.md");

/** The rows of the README's "Errors" table: kind → [status, scimType, when]. */
function documentedKinds(): Map<string, [string, string, string]> {
  const text = fs.readFileSync(README, "utf8");
  const section = text.slice(text.indexOf("\n## Errors\n"), text.indexOf("\n## ", text.indexOf("\n## Errors\n") + 1));
  const rows = new Map<string, [string, string, string]>();
  for (const line of section.split("\n")) {
    const cells = /^\| `([A-Za-z]+)` \| (\d+) \| (.+?) \| (.+) \|$/.exec(line);
    if (cells) rows.set(cells[1], [cells[2], cells[3].replace(/`/g, ""), cells[4]]);
  }
  return rows;
}

describe("the error registry (roster-error)", () => {
  it("documents every kind in the README's error table with its status, scimType and description", () => {
    const rows = documentedKinds();
    for (const [kind, spec] of Object.entries(ERROR_KINDS)) {
      const scimType = "scimType" in spec ? spec.scimType : "—";
      expect(rows.get(kind), `README error table row for ${kind}`).to.deep.equal([String(spec.status), scimType, spec.description]);
    }
  });

  it("lists only registry kinds in the README's error table", () => {
    expect([...documentedKinds().keys()].filter((kind) => !(kind in ERROR_KINDS))).to.deep.equal([]);
  });

  it("builds each kind with the status and scimType of its registry entry", () => {
    const built: Record<ErrorKind, RosterError> = {
      invalidSyntax: RosterError.invalidSyntax("x"),
      invalidValue: RosterError.invalidValue("x"),
      invalidFilter: RosterError.invalidFilter("x"),
      invalidPath: RosterError.badRequest("invalidPath", "x"),
      noTarget: RosterError.badRequest("noTarget", "x"),
      mutability: RosterError.badRequest("mutability", "x"),
      invalidCursor: RosterError.invalidCursor("x"),
      tokenInQuery: RosterError.tokenInQuery(),
      unauthorized: RosterError.unauthorized(),
      forbidden: RosterError.forbidden("x"),
      notPermitted: RosterError.notPermitted("x"),
      notFound: RosterError.notFound("x"),
      methodNotAllowed: RosterError.methodNotAllowed("PUT", "/Schemas"),
      conflict: RosterError.conflict("x"),
      uniqueness: RosterError.uniqueness("x"),
      preconditionFailed: RosterError.preconditionFailed(),
      payloadTooLarge: RosterError.payloadTooLarge(1024),
      tooManyOperations: RosterError.tooManyOperations(1000),
      overInputLimit: RosterError.overInputLimit("x"),
      tooManyRequests: RosterError.tooManyRequests(3),
      internal: RosterError.internal(),
      notImplemented: RosterError.notImplemented("x"),
      serviceUnavailable: RosterError.serviceUnavailable(),
    };
    for (const [kind, error] of Object.entries(built)) {
      const spec = ERROR_KINDS[kind as ErrorKind];
      expect([error.kind, error.status, error.scimType], kind).to.deep.equal([kind, spec.status, "scimType" in spec ? spec.scimType : undefined]);
    }
    expect([built.tooManyRequests.retryAfter, built.serviceUnavailable.retryAfter]).to.deep.equal([3, 5]);
  });

  it("finds the kind of a status and scimType, as a rule's refusal or a scimmy error gives them", () => {
    expect(errorKindFor(400, "invalidValue")).to.equal("invalidValue");
    expect(errorKindFor(409, null)).to.equal("conflict");
    expect(errorKindFor(409, "uniqueness")).to.equal("uniqueness");
    expect(errorKindFor(403, undefined)).to.equal("forbidden");
    expect(errorKindFor(418, null)).to.equal("internal");
    expect(RosterError.fromRefusal({ status: 409, detail: "hand over first", reason: "leaderBlocked" }).kind).to.equal("conflict");
  });
});
