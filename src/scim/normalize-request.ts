import { RosterError } from "../domain/roster-error";
import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER, type ScimJson } from "../domain/types";

/**
 * One small normalizer in front of scimmy for what Okta and Entra really send
 * (IDP-TRAFFIC.md): nulls dropped, "True"/"False" as booleans, Entra's bare
 * manager id, op names in any case. It also refuses what scimmy would silently
 * drop (unknown attributes, `$`-keys), so bad input is an error, not data loss.
 */

export type ResourceKind = "User" | "Group";

const USER_ATTRIBUTES = [
  "schemas", "id", "externalId", "meta", "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType",
  "preferredLanguage", "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses",
  "groups", "entitlements", "roles", "x509Certificates", ENTERPRISE_USER, ROSTER_USER,
];
const GROUP_ATTRIBUTES = ["schemas", "id", "externalId", "meta", "displayName", "members", ROSTER_GROUP];
const BOOLEAN_KEYS = new Set(["active", "primary"]);
const MANAGER_PATH = `${ENTERPRISE_USER}:manager`.toLowerCase();

function knownAttributes(kind: ResourceKind): Map<string, string> {
  return new Map((kind === "User" ? USER_ATTRIBUTES : GROUP_ATTRIBUTES).map((name) => [name.toLowerCase(), name]));
}

/** Normalizes a POST/PUT body (RFC 7644 §3.3, §3.5.1) before scimmy parses it. */
export function normalizeResourceBody(body: unknown, kind: ResourceKind): ScimJson {
  if (!isObject(body)) throw RosterError.invalidSyntax(`Request body must be a single ${kind} object`);
  const known = knownAttributes(kind);
  const out: ScimJson = {};
  for (const [key, value] of Object.entries(body)) {
    const canonical = known.get(key.toLowerCase());
    if (!canonical) throw RosterError.invalidSyntax(`Unknown attribute '${key}' for resource type ${kind}`);
    const cleaned = cleanValue(value, key);
    if (cleaned === undefined) continue;
    out[canonical] = cleaned;
  }
  const enterprise = out[ENTERPRISE_USER];
  if (isObject(enterprise)) out[ENTERPRISE_USER] = normalizeEnterprise(enterprise);
  return out;
}

/** Normalizes a PatchOp body (RFC 7644 §3.5.2) before scimmy applies it. */
export function normalizePatch(body: unknown, kind: ResourceKind): ScimJson {
  if (!isObject(body)) throw RosterError.invalidSyntax("PatchOp request body must be an object");
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) throw RosterError.invalidSyntax("PatchOp request must contain a non-empty 'Operations' array");
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: operations.flatMap((operation, index) => expandExtensionRemoval(normalizeOperation(operation, index, kind))),
  };
}

function normalizeOperation(operation: unknown, index: number, kind: ResourceKind): ScimJson {
  if (!isObject(operation)) throw RosterError.invalidSyntax(`Operation ${index + 1} must be an object`);
  const op = String(operation.op ?? "").toLowerCase();
  if (!["add", "remove", "replace"].includes(op)) {
    throw RosterError.invalidSyntax(`Operation ${index + 1} has unknown op '${String(operation.op)}'; expected add, remove or replace`);
  }
  const path = typeof operation.path === "string" && operation.path.trim() ? operation.path.trim() : undefined;
  let value = operation.value;

  if (path === undefined) {
    if (op === "remove") throw RosterError.badRequest("noTarget", `Operation ${index + 1}: remove requires a path`);
    if (!isObject(value)) throw RosterError.invalidSyntax(`Operation ${index + 1}: an operation without path needs an object value`);
    value = normalizePathlessValue(value, kind);
    return { op, value };
  }

  const leaf = path.split(/[.:]/).pop()!.toLowerCase();
  // Entra's manager: a bare id, and "" (or null) to remove it
  if (path.toLowerCase() === MANAGER_PATH) {
    if (value === null || value === "" || (isObject(value) && !value.value)) return { op: "remove", path };
    if (typeof value === "string") value = { value };
  }
  if (value === null || value === undefined) {
    if (op === "remove") return { op, path };
    // replacing with null means "no value" (RFC 7644 §3.5.2.3 treats unassigned as removal)
    return { op: "remove", path };
  }
  if (BOOLEAN_KEYS.has(leaf)) value = toBoolean(value);
  // an extension object sent whole may repeat its `schemas`, which is not an attribute of it
  if (path.startsWith("urn:") && isObject(value) && "schemas" in value) value = omit(value, "schemas");
  return { op, path, value: cleanValue(value, leaf) };
}

/** Attributes of each extension, for removing an extension as a whole. */
const EXTENSION_ATTRIBUTES: Record<string, string[]> = {
  [ENTERPRISE_USER.toLowerCase()]: ["employeeNumber", "costCenter", "organization", "division", "department", "manager"],
  [ROSTER_USER.toLowerCase()]: ["leaveDate"],
  [ROSTER_GROUP.toLowerCase()]: ["manager"],
};

/**
 * `{"op":"remove","path":"<extension URN>"}` removes the whole extension (RFC 7644 §3.5.2.2);
 * scimmy fails on that path, so it becomes one remove per attribute of the extension.
 */
function expandExtensionRemoval(operation: ScimJson): ScimJson[] {
  const attributes = operation.op === "remove" && typeof operation.path === "string" ? EXTENSION_ATTRIBUTES[operation.path.toLowerCase()] : undefined;
  if (!attributes) return [operation];
  return attributes.map((name) => ({ op: "remove", path: `${operation.path}:${name}` }));
}

function normalizePathlessValue(value: ScimJson, kind: ResourceKind): ScimJson {
  const known = knownAttributes(kind);
  const out: ScimJson = {};
  for (const [key, inner] of Object.entries(value)) {
    // dotted and URN-qualified keys ("name.givenName", "urn:…:User:employeeNumber") are paths scimmy resolves
    const head = key.startsWith("urn:") ? extensionOf(key, known) : key.split(".")[0];
    if (!head || !known.has(head.toLowerCase())) throw RosterError.invalidSyntax(`Unknown attribute '${key}' for resource type ${kind}`);
    if (key.toLowerCase() === MANAGER_PATH && typeof inner === "string") {
      out[key] = inner ? { value: inner } : undefined;
      continue;
    }
    const cleaned = cleanValue(BOOLEAN_KEYS.has(key.split(/[.:]/).pop()!.toLowerCase()) ? toBoolean(inner) : inner, key);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  const enterprise = out[ENTERPRISE_USER];
  if (isObject(enterprise)) out[ENTERPRISE_USER] = normalizeEnterprise(enterprise);
  return out;
}

function extensionOf(key: string, known: Map<string, string>): string | undefined {
  const lower = key.toLowerCase();
  for (const name of known.keys()) if (name.startsWith("urn:") && (lower === name || lower.startsWith(`${name}:`))) return name;
  if (lower.startsWith("urn:ietf:params:scim:schemas:core:2.0:")) return lower.split(":").pop()!.split(".")[0];
  return undefined;
}

function normalizeEnterprise(enterprise: ScimJson): ScimJson {
  const manager = enterprise.manager;
  if (typeof manager === "string") return manager ? { ...enterprise, manager: { value: manager } } : omit(enterprise, "manager");
  return enterprise;
}

/** Drops nulls, coerces string booleans of known boolean attributes, refuses `$`-keys except `$ref`. */
function cleanValue(value: unknown, key: string): unknown {
  if (value === null) return undefined;
  if (BOOLEAN_KEYS.has(key.toLowerCase())) return toBoolean(value);
  if (Array.isArray(value)) return value.map((item) => cleanValue(item, "")).filter((item) => item !== undefined);
  if (isObject(value)) {
    const out: ScimJson = {};
    for (const [innerKey, inner] of Object.entries(value)) {
      if (innerKey.startsWith("$") && innerKey !== "$ref") throw RosterError.invalidSyntax(`Attribute names may not start with '$': '${innerKey}'`);
      const cleaned = cleanValue(inner, innerKey);
      if (cleaned !== undefined) out[innerKey] = cleaned;
    }
    return out;
  }
  return value;
}

function toBoolean(value: unknown): unknown {
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return value;
}

function isObject(value: unknown): value is ScimJson {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function omit(value: ScimJson, key: string): ScimJson {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
