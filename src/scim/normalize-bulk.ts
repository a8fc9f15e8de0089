import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import { normalizePatch, normalizeResourceBody, type ResourceKind, type UnknownAttributes } from "./normalize-request";

/** A /Bulk operation refused before anything ran: its body could not be normalized. */
export interface RefusedBulkOperation {
  method: string;
  bulkId?: string;
  path?: string;
  error: RosterError;
}

/**
 * Applies the request normalizer to every operation of a /Bulk request (RFC 7644 §3.7),
 * and puts every POST before the operations that reference its `bulkId` (§3.7.2). An
 * operation whose body cannot be normalized is refused on its own (§3.7.3: it fails, the
 * others go on), never the whole request.
 */
export function normalizeBulk(body: unknown, maxOperations: number, unknownAttributes: UnknownAttributes = "reject", ignored: string[] = []): { request: ScimJson; refused: RefusedBulkOperation[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw RosterError.invalidSyntax("BulkRequest body must be an object");
  const request = body as ScimJson;
  const operations = request.Operations;
  if (!Array.isArray(operations) || !operations.length) throw RosterError.invalidSyntax("BulkRequest must contain a non-empty 'Operations' array");
  if (operations.length > maxOperations) throw RosterError.tooManyOperations(maxOperations);
  const refused: RefusedBulkOperation[] = [];
  const accepted: ScimJson[] = [];
  for (const [index, operation] of (operations as ScimJson[]).entries()) {
    try {
      const left: string[] = [];
      accepted.push(normalizeOperation(operation, unknownAttributes, left));
      ignored.push(...left.map((path) => `Operations[${index}]: ${path}`));
    } catch (error) {
      if (!(error instanceof RosterError)) throw error;
      const method = String(operation?.method ?? "").toUpperCase();
      refused.push({
        method,
        ...(typeof operation.bulkId === "string" ? { bulkId: operation.bulkId } : {}),
        ...(typeof operation.path === "string" ? { path: operation.path } : {}),
        error,
      });
    }
  }
  return { request: { ...request, Operations: orderByBulkIdReferences(accepted) }, refused };
}

function normalizeOperation(operation: ScimJson, unknownAttributes: UnknownAttributes, ignored: string[]): ScimJson {
  const kind = kindOf(String(operation.path ?? ""));
  const method = String(operation.method ?? "").toUpperCase();
  if (!kind || operation.data === undefined) return operation;
  if (method === "POST" || method === "PUT") return { ...operation, data: normalizeResourceBody(operation.data, kind, unknownAttributes, ignored) };
  if (method === "PATCH") return { ...operation, data: normalizePatch(operation.data, kind, unknownAttributes, ignored) };
  return operation;
}

/**
 * A stable order in which each operation comes after the POSTs whose `bulkId` it references.
 * scimmy 1.3.5 resolves a reference to a later POST by creating the referencing resource
 * twice (the second time as a new resource, a uniqueness clash), so the forward reference
 * is turned into a backward one here. Reference cycles keep their order (scimmy's handling).
 */
export function orderByBulkIdReferences(operations: ScimJson[]): ScimJson[] {
  const postIndex = new Map<string, number>();
  operations.forEach((operation, index) => {
    if (String(operation.method ?? "").toUpperCase() === "POST" && typeof operation.bulkId === "string") postIndex.set(operation.bulkId, index);
  });
  const dependsOn = operations.map((operation, index) => {
    const text = operation.data === undefined ? "" : JSON.stringify(operation.data);
    return [...text.matchAll(/"bulkId:(.+?)"/g)].map((match) => postIndex.get(match[1])).filter((target): target is number => target !== undefined && target !== index);
  });
  const ordered: number[] = [];
  const placed = new Set<number>();
  const visiting = new Set<number>();
  const place = (index: number): void => {
    if (placed.has(index) || visiting.has(index)) return;
    visiting.add(index);
    for (const target of dependsOn[index]) place(target);
    visiting.delete(index);
    placed.add(index);
    ordered.push(index);
  };
  operations.forEach((_operation, index) => place(index));
  return ordered.map((index) => operations[index]);
}

function kindOf(path: string): ResourceKind | undefined {
  if (/^\/Users(\/|$)/i.test(path)) return "User";
  if (/^\/Groups(\/|$)/i.test(path)) return "Group";
  return undefined;
}
