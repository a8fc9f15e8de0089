import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";

/**
 * STYLE, Layout: imports point down http → scim → services → store → domain; config
 * and metrics sit beside (anyone may import them, they import nothing of the project:
 * metrics is the process's Prometheus registry, counted into by http, services, jobs and
 * store at their own choke points, so it cannot live in any one layer); only store
 * talks to the database driver; only config reads process.env; only scim and http
 * speak scimmy. This test reads the sources, so a violation fails before review.
 */
const SRC = path.join(__dirname, "..", "..", "..", "src");

/** Rank of each layer, top (0) to bottom; a file may import its own rank or below. */
const LAYER_RANK: Record<string, number> = { http: 0, scim: 1, services: 2, jobs: 2, store: 3, domain: 4 };

/** The composition root wires everything together, so it may import anything. */
const COMPOSITION_ROOT = new Set(["main.ts", "start-roster.ts"]);

/**
 * The CLI is a client of the admin API of a running server (README, Admin API and CLI):
 * it may use config and domain, and the admin payload schemas to refuse a bad file before
 * sending it; never the store, the SCIM layer or the HTTP app.
 */
const CLI_MAY_IMPORT = (target: string) => layerOf(target) === "config" || layerOf(target) === "domain" || layerOf(target) === "cli" || target === "services/validate-payload.ts";

const PACKAGE_OWNERS: Array<{ packages: RegExp; allowed: string[]; why: string }> = [
  { packages: /^(mongoose|mongodb|mongodb-memory-server)(\/|$)/, allowed: ["store"], why: "only store talks to the database" },
  { packages: /^(scimmy|scimmy-routers)(\/|$)/, allowed: ["scim", "http"], why: "only scim and http speak scimmy" },
  { packages: /^prom-client(\/|$)/, allowed: ["metrics"], why: "only metrics holds the Prometheus registry" },
];

/** Layers beside the stack: any layer may import them, and they import nothing of the project. */
const BESIDE = new Set(["config", "metrics"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module specifier a file imports, re-exports or requires. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The path of a source file relative to src/, with forward slashes. */
function relative(file: string): string {
  return path.relative(SRC, file).split(path.sep).join("/");
}

/** The top folder of a src-relative path (`http`, `store`, …), or the file name for the root. */
function layerOf(srcPath: string): string {
  return srcPath.split("/")[0];
}

/** A relative specifier resolved to a src-relative .ts path, or undefined when it leaves src/ (schemas/*.json). */
function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const absolute = path.resolve(path.dirname(fromFile), specifier);
  const rel = path.relative(SRC, absolute);
  if (rel.startsWith("..")) return undefined;
  for (const candidate of [`${absolute}.ts`, path.join(absolute, "index.ts"), absolute]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return relative(candidate);
  }
  return rel.split(path.sep).join("/");
}

/** Every broken rule, as `src/<file> imports <target> (<rule>)`. */
function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(file);
    const fromLayer = layerOf(from);
    const text = fs.readFileSync(file, "utf8");
    if (fromLayer !== "config" && /\bprocess\.env\b/.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""))) found.push(`src/${from} reads process.env (only src/config reads the environment)`);
    for (const specifier of specifiers(text)) {
      if (specifier.startsWith(".")) {
        const target = resolveLocal(file, specifier);
        if (target === undefined) continue;
        const rule = localRule(from, target);
        if (rule) found.push(`src/${from} imports src/${target} (${rule})`);
      } else {
        for (const owner of PACKAGE_OWNERS) {
          if (owner.packages.test(specifier) && !owner.allowed.includes(fromLayer)) found.push(`src/${from} imports ${specifier} (${owner.why})`);
        }
      }
    }
  }
  return found.sort();
}

/** Why `from` may not import `target`, or undefined when it may. */
function localRule(from: string, target: string): string | undefined {
  const fromLayer = layerOf(from);
  const toLayer = layerOf(target);
  if (COMPOSITION_ROOT.has(from)) return undefined;
  if (BESIDE.has(fromLayer)) return toLayer === fromLayer ? undefined : `${fromLayer} imports nothing of the project`;
  if (BESIDE.has(toLayer) && fromLayer !== "cli") return undefined;
  if (fromLayer === "cli") return CLI_MAY_IMPORT(target) ? undefined : "the CLI is an admin API client: config, domain and services/validate-payload only";
  if (toLayer === "cli" || COMPOSITION_ROOT.has(target)) return "only the composition root uses the CLI or the root";
  const fromRank = LAYER_RANK[fromLayer];
  const toRank = LAYER_RANK[toLayer];
  if (fromRank === undefined || toRank === undefined) return `unknown layer ${fromRank === undefined ? fromLayer : toLayer}`;
  return toRank < fromRank ? `${fromLayer} may not import ${toLayer}: imports point down http → scim → services/jobs → store → domain` : undefined;
}

describe("import layers (src/**/*.ts)", () => {
  it("finds the imports of a file [import, export from, require, dynamic import]", () => {
    const text = `import a from "./a";\nimport type { B } from "../b";\nexport { c } from "./c";\nimport "./d";\nconst e = require("e");\nconst f = await import("./f");`;
    expect(specifiers(text).sort()).to.deep.equal(["../b", "./a", "./c", "./d", "./f", "e"]);
  });

  it("has no import against the layer rules", () => {
    const found = violations();
    expect(found, `imports against the layer rules:\n  ${found.join("\n  ")}\n`).to.deep.equal([]);
  });
});
