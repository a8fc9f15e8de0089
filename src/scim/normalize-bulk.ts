import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import { normalizePatch, normalizeResourceBody, type ResourceKind } from "./normalize-request";

/** Applies the request normalizer to every operation of a /Bulk request (RFC 7644 §3.7). */
export function normalizeBulk(body: unknown, maxOperations: number): ScimJson {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw RosterError.invalidSyntax("BulkRequest body must be an object");
  const request = body as ScimJson;
  const operations = request.Operations;
  if (!Array.isArray(operations) || !operations.length) throw RosterError.invalidSyntax("BulkRequest must contain a non-empty 'Operations' array");
  if (operations.length > maxOperations) throw new RosterError(413, undefined, `BulkRequest exceeds maxOperations (${maxOperations})`);
  return {
    ...request,
    Operations: operations.map((operation: ScimJson) => {
      const kind = kindOf(String(operation.path ?? ""));
      const method = String(operation.method ?? "").toUpperCase();
      if (!kind || operation.data === undefined) return operation;
      if (method === "POST" || method === "PUT") return { ...operation, data: normalizeResourceBody(operation.data, kind) };
      if (method === "PATCH") return { ...operation, data: normalizePatch(operation.data, kind) };
      return operation;
    }),
  };
}

function kindOf(path: string): ResourceKind | undefined {
  if (/^\/Users(\/|$)/i.test(path)) return "User";
  if (/^\/Groups(\/|$)/i.test(path)) return "Group";
  return undefined;
}
