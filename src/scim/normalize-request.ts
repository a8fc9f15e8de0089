import { RosterError } from "../domain/roster-error";
import {
  findScimAttribute,
  findScimSchema,
  resourceSchemas,
  splitSchemaPath,
  type ResourceSchemas,
  type ScimAttribute,
  type ScimSchema,
} from "../domain/scim-attributes";
import type { ScimJson } from "../domain/types";
import { FilterError, parseFilter, type FilterNode } from "./filter";

/**
 * One small normalizer in front of scimmy for what Okta and Entra really send
 * (IDP-TRAFFIC.md), derived from the attribute table (domain/scim-attributes.ts):
 * names matched in any case and rewritten as the table spells them, nulls and
 * read-only attributes dropped, "True"/"False" as booleans, Entra's bare manager
 * id, op names in any case. Unknown names at any depth are collected as paths and
 * settled by one rule (`settleUnknownAttributes`), so nothing is dropped silently.
 * Every object it returns is built from the table's names, never from a client's
 * keys, so `__proto__`, `constructor` or `prototype` can never reach an object.
 */

export type ResourceKind = "User" | "Group";

/** What to do with attribute names the table does not know: the tenant policy `unknownAttributes` (README decisions). */
export type UnknownAttributes = "ignore" | "reject";

/** A normalized request and the paths of the names it did not know (left out of `value`). */
export interface Inspected {
  value: ScimJson;
  unknownPaths: string[];
}

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** Normalizes a POST/PUT body (RFC 7644 §3.3, §3.5.1) before scimmy parses it. */
export function normalizeResourceBody(body: unknown, kind: ResourceKind, unknownAttributes: UnknownAttributes = "reject", ignored: string[] = []): ScimJson {
  const inspected = inspectResourceBody(body, kind);
  ignored.push(...settleUnknownAttributes(inspected.unknownPaths, kind, unknownAttributes));
  return inspected.value;
}

/** Normalizes a PatchOp body (RFC 7644 §3.5.2) before scimmy applies it. */
export function normalizePatch(body: unknown, kind: ResourceKind, unknownAttributes: UnknownAttributes = "reject", ignored: string[] = []): ScimJson {
  const inspected = inspectPatch(body, kind);
  ignored.push(...settleUnknownAttributes(inspected.unknownPaths, kind, unknownAttributes));
  return inspected.value;
}

/**
 * The one rule for unknown attribute names, whatever their depth (README decisions): `reject` is
 * `400 invalidSyntax` naming every path; `ignore` leaves them out (they already are) and returns
 * their paths, for the request's log line and audit entry.
 */
export function settleUnknownAttributes(unknownPaths: string[], kind: ResourceKind, unknownAttributes: UnknownAttributes): string[] {
  if (!unknownPaths.length) return [];
  switch (unknownAttributes) {
    case "ignore":
      return [...new Set(unknownPaths)];
    case "reject": {
      const names = [...new Set(unknownPaths)].map((path) => `'${path}'`).join(", ");
      throw RosterError.invalidSyntax(`Unknown attribute${unknownPaths.length > 1 ? "s" : ""} ${names} for resource type ${kind}`);
    }
    default: {
      const never: never = unknownAttributes;
      throw new TypeError(`Unknown policy ${String(never)}`);
    }
  }
}

/** A POST/PUT body as the table spells it, with the paths of the names it does not know. */
export function inspectResourceBody(body: unknown, kind: ResourceKind): Inspected {
  if (!isObject(body)) throw RosterError.invalidSyntax(`Request body must be a single ${kind} object`);
  const schemas = resourceSchemas(kind);
  const unknownPaths: string[] = [];
  const out: ScimJson = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (value === null || value === undefined) continue;
    if (key.toLowerCase() === "schemas") {
      out.schemas = plainValue(value, "schemas", unknownPaths);
      continue;
    }
    const extension = extensionNamed(schemas, key);
    if (extension) {
      if (!isObject(value)) throw RosterError.invalidValue(`'${key}' must be an object of ${extension.id} attributes`);
      for (const innerKey of Object.keys(value)) {
        if (innerKey.toLowerCase() === "schemas" || value[innerKey] === null) continue;
        const target = resolvePath(schemas, `${extension.id}:${innerKey}`, unknownPaths);
        if (target) assignBodyValue(out, schemas, target, value[innerKey], unknownPaths);
      }
      continue;
    }
    const target = resolvePath(schemas, key, unknownPaths);
    if (target) assignBodyValue(out, schemas, target, value, unknownPaths);
  }
  return { value: out, unknownPaths };
}

/** A PatchOp as the table spells it: one operation per attribute, with the paths of the names it does not know. */
export function inspectPatch(body: unknown, kind: ResourceKind): Inspected {
  if (!isObject(body)) throw RosterError.invalidSyntax("PatchOp request body must be an object");
  const operations = body.Operations ?? body.operations;
  // Entra's validator sends an empty array: a no-op, not an error (IDP-TRAFFIC.md)
  if (!Array.isArray(operations)) throw RosterError.invalidSyntax("PatchOp request must contain an 'Operations' array");
  const schemas = resourceSchemas(kind);
  const unknownPaths: string[] = [];
  const normalized = operations.flatMap((operation, index) => normalizeOperation(operation, index, schemas, unknownPaths));
  // no operation, or every value null, read-only or empty: a no-op, which scimmy needs as one operation
  if (!normalized.length) normalized.push({ op: "replace", value: {} });
  return { value: { schemas: [PATCH_OP], Operations: normalized }, unknownPaths };
}

type Op = "add" | "remove" | "replace";

/** Where a path points: an attribute of one schema, maybe a value filter, maybe a sub-attribute (RFC 7644 §3.5.2). */
interface Target {
  schema: ScimSchema;
  attribute: ScimAttribute;
  filter?: string;
  sub?: ScimAttribute;
}

function normalizeOperation(operation: unknown, index: number, schemas: ResourceSchemas, unknownPaths: string[]): ScimJson[] {
  if (!isObject(operation)) throw RosterError.invalidSyntax(`Operation ${index + 1} must be an object`);
  const op = String(operation.op ?? "").toLowerCase();
  if (op !== "add" && op !== "remove" && op !== "replace") {
    throw RosterError.invalidSyntax(`Operation ${index + 1} has unknown op '${String(operation.op)}'; expected add, remove or replace`);
  }
  const path = typeof operation.path === "string" && operation.path.trim() ? operation.path.trim() : undefined;
  const value = operation.value;

  if (path === undefined) {
    if (op === "remove") throw RosterError.badRequest("noTarget", `Operation ${index + 1}: remove requires a path`);
    if (!isObject(value)) throw RosterError.invalidSyntax(`Operation ${index + 1}: an operation without path needs an object value`);
    return pathlessOperations(op, value, schemas, unknownPaths);
  }

  const extension = extensionNamed(schemas, path);
  if (extension) return extensionOperations(op, extension, value, schemas, unknownPaths, index);
  const target = resolvePath(schemas, path, unknownPaths);
  if (!target) return [];
  const readOnly = target.attribute.mutability === "readOnly" || target.sub?.mutability === "readOnly";
  if (readOnly) throw RosterError.badRequest("mutability", `Operation ${index + 1}: attribute '${path}' is read-only`);
  if (op === "remove") {
    return [value === undefined || value === null ? { op, path: pathOf(target) } : { op, path: pathOf(target), value: targetValue(target, value, unknownPaths) }];
  }
  return targetOperations(op, target, value, unknownPaths);
}

/** Okta's `{"active":false}`, Entra's dotted and URN keys: each key becomes an operation on its path. */
function pathlessOperations(op: "add" | "replace", value: ScimJson, schemas: ResourceSchemas, unknownPaths: string[]): ScimJson[] {
  const operations: ScimJson[] = [];
  for (const key of Object.keys(value)) {
    const inner = value[key];
    if (inner === null || inner === undefined || key.toLowerCase() === "schemas") continue;
    const extension = extensionNamed(schemas, key);
    if (extension) {
      if (!isObject(inner)) throw RosterError.invalidValue(`'${key}' must be an object of ${extension.id} attributes`);
      operations.push(...pathlessOperations(op, qualify(extension, inner), schemas, unknownPaths));
      continue;
    }
    const target = resolvePath(schemas, key, unknownPaths);
    // read-only attributes (Okta's `id` in a group rename, `meta`) are ignored in a value
    if (!target || target.attribute.mutability === "readOnly" || target.sub?.mutability === "readOnly") continue;
    operations.push(...targetOperations(op, target, inner, unknownPaths));
  }
  return operations;
}

/** `add`/`replace` on an extension URN with an object of its attributes; `remove` of the URN removes each (RFC 7644 §3.5.2.2). */
function extensionOperations(op: Op, extension: ScimSchema, value: unknown, schemas: ResourceSchemas, unknownPaths: string[], index: number): ScimJson[] {
  if (op === "remove") {
    return extension.attributes.filter((attribute) => attribute.mutability !== "readOnly").map((attribute) => ({ op, path: `${extension.id}:${attribute.name}` }));
  }
  if (value === null || value === undefined) return extensionOperations("remove", extension, value, schemas, unknownPaths, index);
  if (!isObject(value)) throw RosterError.invalidValue(`Operation ${index + 1}: the value for '${extension.id}' must be an object of its attributes`);
  return pathlessOperations(op, qualify(extension, value), schemas, unknownPaths);
}

/** `{"manager": …}` inside an extension object as `{"<urn>:manager": …}`. */
function qualify(extension: ScimSchema, value: ScimJson): ScimJson {
  const out: ScimJson = {};
  for (const key of Object.keys(value)) {
    if (key.toLowerCase() === "schemas") continue;
    // prefixed by the URN, so never a special key; looked up in the table next
    out[`${extension.id}:${key}`] = value[key];
  }
  return out;
}

/**
 * The operations for one target. `add` and `replace` of a singular complex attribute
 * (or of one of its sub-attributes) become an `add` of the given sub-attributes on the
 * attribute: RFC 7644 §3.5.2.3 leaves unspecified sub-attributes unchanged, which scimmy's
 * replace does not, and its add also works when the attribute (or extension) is absent.
 */
function targetOperations(op: "add" | "replace", target: Target, value: unknown, unknownPaths: string[]): ScimJson[] {
  const { attribute, sub } = target;
  if (value === null || value === undefined) return [{ op: "remove", path: pathOf(target) }];
  if (attribute.type === "complex" && !attribute.multiValued) {
    if (sub) {
      const cleaned = scalarValue(sub, value, `${pathOf({ ...target, sub: undefined })}.${sub.name}`, unknownPaths);
      return [{ op: "add", path: pathOf({ ...target, sub: undefined }), value: { [sub.name]: cleaned } }];
    }
    // Entra's manager: a bare id, and "" to remove it
    if (typeof value === "string" && findScimAttribute(attribute.subAttributes, "value")) {
      return value ? [{ op: "add", path: pathOf(target), value: { value } }] : [{ op: "remove", path: pathOf(target) }];
    }
    const cleaned = targetValue(target, value, unknownPaths);
    if (isObject(cleaned) && !Object.keys(cleaned).length) return [];
    return [{ op: "add", path: pathOf(target), value: cleaned }];
  }
  return [{ op, path: pathOf(target), value: targetValue(target, value, unknownPaths) }];
}

/** The value for a target, cleaned as the table says. */
function targetValue(target: Target, value: unknown, unknownPaths: string[]): unknown {
  const path = pathOf({ ...target, filter: undefined, sub: undefined });
  if (target.sub) return scalarValue(target.sub, value, `${path}.${target.sub.name}`, unknownPaths);
  if (target.filter !== undefined) {
    // one element of a multi-valued attribute, or an error scimmy reports
    return isObject(value) ? complexValue(target.attribute, value, path, unknownPaths) : plainValue(value, path, unknownPaths);
  }
  return attributeValue(target.attribute, value, path, unknownPaths);
}

/** Puts one body value where the table says, merging a sub-attribute into its parent. */
function assignBodyValue(out: ScimJson, schemas: ResourceSchemas, target: Target, value: unknown, unknownPaths: string[]): void {
  const { schema, attribute, sub } = target;
  if (target.filter !== undefined) throw RosterError.invalidSyntax(`A request body may not name a value filter: '${pathOf(target)}'`);
  // read-only attributes in bodies (Okta's `id`, `groups`, Entra's `meta`) are ignored (IDP-TRAFFIC.md)
  if (attribute.mutability === "readOnly" || sub?.mutability === "readOnly") return;
  const holder = schema === schemas.core ? out : ensureObject(out, schema.id);
  const path = pathOf({ ...target, sub: undefined });
  if (sub) {
    const parent = ensureObject(holder, attribute.name);
    const cleaned = scalarValue(sub, value, `${path}.${sub.name}`, unknownPaths);
    if (cleaned !== undefined) parent[sub.name] = cleaned;
    return;
  }
  const cleaned = attributeValue(attribute, value, path, unknownPaths);
  if (cleaned === undefined) return;
  const existing = holder[attribute.name];
  holder[attribute.name] = isObject(existing) && isObject(cleaned) ? Object.assign(existing, cleaned) : cleaned;
}

/** A whole attribute's value: a complex object rebuilt from the table, a list element by element, or a scalar. */
function attributeValue(attribute: ScimAttribute, value: unknown, path: string, unknownPaths: string[]): unknown {
  if (value === null || value === undefined) return undefined;
  if (attribute.type !== "complex") return attribute.multiValued && Array.isArray(value) ? value.filter((item) => item !== null).map((item) => scalarValue(attribute, item, path, unknownPaths)) : scalarValue(attribute, value, path, unknownPaths);
  if (attribute.multiValued) {
    if (Array.isArray(value)) return value.filter((item) => item !== null).map((item) => (isObject(item) ? complexValue(attribute, item, path, unknownPaths) : plainValue(item, path, unknownPaths)));
    return isObject(value) ? complexValue(attribute, value, path, unknownPaths) : plainValue(value, path, unknownPaths);
  }
  if (typeof value === "string" && findScimAttribute(attribute.subAttributes, "value")) {
    // Entra's manager as a bare id; "" means none
    return value ? { value } : undefined;
  }
  return isObject(value) ? complexValue(attribute, value, path, unknownPaths) : plainValue(value, path, unknownPaths);
}

/** A complex value with the table's sub-attribute names; unknown names are recorded, read-only ones and nulls dropped. */
function complexValue(attribute: ScimAttribute, value: ScimJson, path: string, unknownPaths: string[]): ScimJson {
  const out: ScimJson = {};
  for (const key of Object.keys(value)) {
    const inner = value[key];
    if (inner === null || inner === undefined) continue;
    const sub = findScimAttribute(attribute.subAttributes, key) ?? aliasOf(attribute, key);
    if (!sub) {
      unknownPaths.push(`${path}.${key}`);
      continue;
    }
    if (sub.mutability === "readOnly" && attribute.mutability !== "readOnly") continue;
    const cleaned = scalarValue(sub, inner, `${path}.${sub.name}`, unknownPaths);
    if (cleaned !== undefined) out[sub.name] = cleaned;
  }
  return out;
}

/** A simple value: booleans from "True"/"False" (Entra); objects where a simple value belongs are refused. */
function scalarValue(attribute: ScimAttribute, value: unknown, path: string, unknownPaths: string[]): unknown {
  if (attribute.type === "boolean" && typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return plainValue(value, path, unknownPaths);
}

/**
 * A value passed to scimmy as sent, never holding a client's object. An object where a
 * simple value belongs is a wrong type (`400 invalidValue`); its `$`-keys (`{"$ne":null}`)
 * are unknown names under `path`, as `$`-keys are everywhere (README decisions).
 */
function plainValue(value: unknown, path: string, unknownPaths: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => plainValue(item, path, unknownPaths));
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  const dollarKeys = keys.filter((key) => key.startsWith("$"));
  for (const key of dollarKeys) unknownPaths.push(`${path}.${key}`);
  if (dollarKeys.length < keys.length || !keys.length) throw RosterError.invalidValue(`Attribute '${path}' does not take an object value`);
  return undefined;
}

/**
 * Resolves `[<urn>:]attribute[[filter]][.sub]` against the table (RFC 7644 §3.10, §3.5.2),
 * names in any case; a fully qualified core path is accepted. Unknown names are recorded
 * (as written) and give undefined.
 */
function resolvePath(schemas: ResourceSchemas, path: string, unknownPaths: string[]): Target | undefined {
  const split = splitSchemaPath(schemas, path);
  const match = split && /^([^.[\]]+)(?:\[(.*)\])?(?:\.([^.[\]]+))?$/s.exec(split.rest);
  if (!split || !match) {
    unknownPaths.push(path);
    return undefined;
  }
  const [, name, filter, subName] = match;
  const attribute = findScimAttribute(split.schema.attributes, name);
  const sub = subName === undefined ? undefined : findScimAttribute(attribute?.subAttributes, subName);
  if (!attribute || (subName !== undefined && !sub)) {
    unknownPaths.push(path);
    return undefined;
  }
  if (filter !== undefined) {
    if (!attribute.multiValued) throw RosterError.badRequest("invalidPath", `'${path}': only a multi-valued attribute takes a value filter`);
    for (const filterPath of filterPaths(filter, path)) {
      if (!findScimAttribute(attribute.subAttributes, filterPath)) unknownPaths.push(`${pathOf({ schema: split.schema, attribute })}.${filterPath}`);
    }
  }
  return { schema: split.schema, attribute, filter, sub };
}

/** The attribute paths a value filter compares (RFC 7644 §3.4.2.2), relative to one element. */
function filterPaths(filter: string, path: string): string[] {
  let node: FilterNode;
  try {
    node = parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterError) throw RosterError.badRequest("invalidPath", `Invalid value filter in path '${path}': ${error.message}`);
    throw error;
  }
  const paths: string[] = [];
  const visit = (inner: FilterNode): void => {
    switch (inner.kind) {
      case "compare":
      case "present":
        paths.push(inner.attrPath);
        return;
      case "and":
      case "or":
        inner.filters.forEach(visit);
        return;
      case "not":
        visit(inner.filter);
        return;
      case "valuePath":
        throw RosterError.badRequest("invalidPath", `Invalid value filter in path '${path}': value filters do not nest`);
      default: {
        const never: never = inner;
        throw new TypeError(`Unknown filter node ${String(never)}`);
      }
    }
  };
  visit(node);
  return paths;
}

/** The canonical path of a target: core attributes unqualified, extension attributes under their URN. */
function pathOf(target: Pick<Target, "schema" | "attribute"> & Partial<Target>): string {
  const prefix = target.schema.id.startsWith("urn:ietf:params:scim:schemas:core:") ? "" : `${target.schema.id}:`;
  return `${prefix}${target.attribute.name}${target.filter !== undefined ? `[${target.filter}]` : ""}${target.sub ? `.${target.sub.name}` : ""}`;
}

/** The extension a key or path names as a whole (`"<urn>": {…}`), if any. */
function extensionNamed(schemas: ResourceSchemas, key: string): ScimSchema | undefined {
  const schema = findScimSchema(schemas, key);
  return schema && schema !== schemas.core ? schema : undefined;
}

/** A sub-attribute some client spells otherwise (the table's `aliases`). */
function aliasOf(attribute: ScimAttribute, key: string): ScimAttribute | undefined {
  const wanted = key.toLowerCase();
  return attribute.subAttributes?.find((sub) => sub.aliases?.some((alias) => alias.toLowerCase() === wanted));
}

function ensureObject(holder: ScimJson, name: string): ScimJson {
  if (!isObject(holder[name])) holder[name] = {};
  return holder[name] as ScimJson;
}

function isObject(value: unknown): value is ScimJson {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
