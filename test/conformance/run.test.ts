import { expect } from "chai";
import { UsageError, parseArguments } from "../../conformance/run";

describe("conformance run arguments", () => {
  it("reads --base, --token, --suite, --owner and --keep", () => {
    const args = parseArguments(["--base", "http://h/scim/v2", "--token=t0k", "--suite", "okta", "--owner", "u1", "--keep"]);
    expect(args).to.deep.equal({ base: "http://h/scim/v2", token: "t0k", suites: ["okta"], ownerId: "u1", keep: true });
  });

  it("runs both suites by default and takes the base URL and token from the environment", () => {
    const args = parseArguments([], { ROSTER_BASE_URL: "http://e/scim/v2", ROSTER_TOKEN: "env" });
    expect(args.suites).to.deep.equal(["okta", "entra"]);
    expect(args.base).to.equal("http://e/scim/v2");
    expect(args.token).to.equal("env");
  });

  it("refuses a missing token, an unknown suite and an unknown option", () => {
    expect(() => parseArguments(["--base", "http://h"])).to.throw(UsageError, "--token");
    expect(() => parseArguments(["--base", "http://h", "--token", "t", "--suite", "onelogin"])).to.throw(UsageError, "--suite");
    expect(() => parseArguments(["--base", "http://h", "--token", "t", "--verbose"])).to.throw(UsageError, "--verbose");
  });
});
