import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { CONSOLE_DIR } from "../../src/http/console-route";
import { sharedTestServer } from "../support/shared-server";
import type { TestServer } from "../support/test-server";
import { ensureConsoleBuilt } from "./build";

/** /console/: the bundle is served by Roster itself, under a CSP that allows nothing inline and nothing foreign. */
describe("/console/ (static admin console)", () => {
  let server: TestServer;
  before(async () => {
    ensureConsoleBuilt();
    server = await sharedTestServer();
  });

  it("serves the page under a strict CSP: this origin's script and stylesheet only, no inline code, no framing", async () => {
    const res = await fetch(`${server.url}/console/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get("default-src")).to.deep.equal(["'none'"]);
    expect(directives.get("script-src")).to.deep.equal(["'self'"]);
    expect(directives.get("style-src")).to.deep.equal(["'self'"]);
    expect(directives.get("connect-src")).to.deep.equal(["'self'"]);
    expect(directives.get("frame-ancestors")).to.deep.equal(["'none'"]);
    expect(csp).not.to.match(/unsafe|https:|\*/);
    const html = await res.text();
    // every script has a src and no body; no style element or attribute, no inline handlers
    expect(html).to.match(/<script src="app\.js" defer><\/script>/);
    expect(html.match(/<script\b[^>]*>[^<]+<\/script>/g)).to.equal(null);
    expect(html).not.to.match(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it("serves the bundle and stylesheet, and no source maps or other files", async () => {
    const script = await fetch(`${server.url}/console/app.js`);
    expect(script.status).to.equal(200);
    expect(script.headers.get("content-type")).to.match(/javascript/);
    const body = await script.text();
    expect(body.length).to.be.above(1000).and.below(150_000);
    // nothing fetched from elsewhere: the only URLs are XML namespaces and example placeholders
    expect(body).not.to.match(/sourceMappingURL|https?:\/\/(?!www\.w3\.org\/|[a-z.]*example\.com\/)/);
    expect((await fetch(`${server.url}/console/app.css`)).headers.get("content-type")).to.match(/^text\/css/);
    expect(fs.readdirSync(CONSOLE_DIR).sort()).to.deep.equal(["app.css", "app.js", "index.html"]);
    const missing = await fetch(`${server.url}/console/nothing-here.js`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.have.keys("status", "detail");
  });

  it("redirects /console to /console/ and refuses a token in its query string", async () => {
    const bare = await fetch(`${server.url}/console`, { redirect: "manual" });
    expect(bare.status).to.equal(301);
    expect(bare.headers.get("location")).to.equal("/console/");
    const query = await fetch(`${server.url}/console/?access_token=abc`);
    expect(query.status).to.equal(400);
  });

  it("is built from console/ by npm run build, so the served copy is the source's", () => {
    const source = fs.readFileSync(path.join(CONSOLE_DIR, "..", "..", "console", "index.html"), "utf8");
    expect(fs.readFileSync(path.join(CONSOLE_DIR, "index.html"), "utf8")).to.equal(source);
    const build = JSON.parse(fs.readFileSync(path.join(CONSOLE_DIR, "..", "..", "package.json"), "utf8")).scripts.build as string;
    expect(build).to.contain("scripts/build-console.js");
  });
});
