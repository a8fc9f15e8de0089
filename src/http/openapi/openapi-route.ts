import fs from "node:fs";
import path from "node:path";
import type { Request, Response } from "express";
import { buildOpenApiDocument } from "./openapi-document";

/** Roster's version, from package.json at the root of the checkout or install (dist/src/http/openapi → root). */
function rosterVersion(): string {
  for (const candidate of [path.join(__dirname, "..", "..", "..", "..", "package.json"), path.join(__dirname, "..", "..", "..", "package.json")]) {
    try {
      const { name, version } = JSON.parse(fs.readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (name === "roster" && version) return version;
    } catch {
      // not this one
    }
  }
  return "0.0.0";
}

/** GET /openapi.json: the document is built once, on the first request. */
export function openApiRoute() {
  let body: string | undefined;
  return function serveOpenApi(_req: Request, res: Response): void {
    body ??= JSON.stringify(buildOpenApiDocument(rosterVersion()));
    res.type("application/json").send(body);
  };
}
