import { RosterError } from "../domain/roster-error";
import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER, type ScimJson } from "../domain/types";

import { INPUT_LIMITS } from "./input-limits";

/** The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5). */
export interface AttributeSelection {
  attributes?: string;
  excludedAttributes?: string;
}

/**
 * Which parts of a resource a list of attribute paths names: `true` is the whole value. Keys
 * come from the client, so the tree is a Map: `__proto__` or `constructor` is just a key (STYLE).
 */
type PathTree = Map<string, PathTree | true>;

const CORE_SCHEMAS = ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"];
const EXTENSIONS = [ENTERPRISE_USER, ROSTER_USER, ROSTER_GROUP];
/** returned "always" (RFC 7643 §3.1 id; `schemas` so a client can read the extensions) */
const ALWAYS = new Set(["id", "schemas"]);

/**
 * Applies `attributes` or `excludedAttributes` to one SCIM resource as Roster
 * serializes it (RFC 7644 §3.4.2.5, §3.9). Paths are case-insensitive, may be
 * URN-qualified (core or extension) and may name a sub-attribute, also of a
 * multi-valued attribute (`emails.value`). `id` and `schemas` always stay, and
 * `schemas` lists only the extensions left in the result. scimmy 1.3.5 fails on
 * sub-attribute and URN paths, hence this projection of Roster's own.
 */
export function projectAttributes(resource: ScimJson, selection: AttributeSelection): ScimJson {
  checkSelection(selection);
  const included = parsePaths(selection.attributes);
  const excluded = parsePaths(selection.excludedAttributes);
  let projected: ScimJson;
  if (included) {
    projected = pick(resource, included) as ScimJson;
    for (const key of ALWAYS) if (resource[key] !== undefined) projected[key] = resource[key];
  } else if (excluded) {
    projected = omit(resource, excluded, true) as ScimJson;
  } else {
    return resource;
  }
  return withSchemas(projected, resource);
}

/** Whether the top-level attribute `name` (e.g. `members`) survives the selection, so its loading can be skipped. */
export function selectsAttribute(selection: AttributeSelection, name: string): boolean {
  const lower = name.toLowerCase();
  const included = parsePaths(selection.attributes);
  if (included) return included.has(lower);
  const excluded = parsePaths(selection.excludedAttributes);
  return !(excluded && excluded.get(lower) === true);
}

/**
 * Refuses a selection over the bounds of INPUT_LIMITS (`400 invalidValue`); called before a
 * request does any work, so a write never happens for a response that cannot be sent.
 */
export function checkSelection(selection: AttributeSelection): void {
  for (const [name, list] of Object.entries(selection)) {
    if (list === undefined) continue;
    if (typeof list !== "string") throw RosterError.invalidValue(`Query parameter '${name}' must be given once, as a string`);
    if (list.length > INPUT_LIMITS.maxAttributesLength) throw RosterError.invalidValue(`'${name}' is longer than ${INPUT_LIMITS.maxAttributesLength} characters`);
    if (list.split(",").length > INPUT_LIMITS.maxAttributePaths) throw RosterError.invalidValue(`'${name}' names more than ${INPUT_LIMITS.maxAttributePaths} attributes`);
  }
}

/** Query parameters without the two that Roster applies itself. */
export function withoutSelection<T extends Record<string, unknown>>(query: T): T {
  const { attributes: _attributes, excludedAttributes: _excluded, ...rest } = query;
  return rest as T;
}

function parsePaths(list: string | undefined): PathTree | undefined {
  if (typeof list !== "string") return undefined;
  const paths = list.split(",").map((path) => path.trim()).filter(Boolean);
  if (!paths.length) return undefined;
  const tree: PathTree = new Map();
  for (const path of paths) addPath(tree, segmentsOf(path));
  return tree;
}

/** `urn:…:User:manager.value` → [urn, manager, value]; a core-schema URN prefix is dropped. Keys are lowercased. */
function segmentsOf(path: string): string[] {
  const lower = path.toLowerCase();
  for (const core of CORE_SCHEMAS) if (lower.startsWith(`${core.toLowerCase()}:`)) return lower.slice(core.length + 1).split(".");
  for (const extension of EXTENSIONS) {
    const urn = extension.toLowerCase();
    if (lower === urn) return [urn];
    if (lower.startsWith(`${urn}:`)) return [urn, ...lower.slice(urn.length + 1).split(".")];
  }
  return lower.split(".");
}

function addPath(tree: PathTree, segments: string[]): void {
  const [head, ...rest] = segments;
  if (!head) return;
  const existing = tree.get(head);
  if (!rest.length || existing === true) {
    tree.set(head, true);
    return;
  }
  const child: PathTree = existing ?? new Map();
  tree.set(head, child);
  addPath(child, rest);
}

/** Keeps what the tree names; multi-valued attributes keep the named sub-attributes of every element. */
function pick(value: unknown, tree: PathTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree)).filter((item) => !isEmpty(item));
  if (!isObject(value)) return undefined;
  const out: ScimJson = {};
  for (const [key, inner] of Object.entries(value)) {
    const selected = tree.get(key.toLowerCase());
    if (selected === undefined) continue;
    const kept = selected === true ? inner : pick(inner, selected);
    if (!isEmpty(kept)) setOwn(out, key, kept);
  }
  return out;
}

/** Drops what the tree names, never `id` or `schemas` at the top. */
function omit(value: unknown, tree: PathTree, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => omit(item, tree, false)).filter((item) => !isEmpty(item));
  if (!isObject(value)) return value;
  const out: ScimJson = {};
  for (const [key, inner] of Object.entries(value)) {
    const selected = tree.get(key.toLowerCase());
    if (selected === undefined || (top && ALWAYS.has(key))) {
      setOwn(out, key, inner);
      continue;
    }
    if (selected === true) continue;
    const kept = omit(inner, selected, false);
    if (!isEmpty(kept)) setOwn(out, key, kept);
  }
  return out;
}

function withSchemas(projected: ScimJson, resource: ScimJson): ScimJson {
  const schemas = Array.isArray(resource.schemas) ? (resource.schemas as string[]) : [];
  const kept = schemas.filter((schema) => !schema.toLowerCase().startsWith("urn:ietf:params:scim:schemas:extension:") || projected[schema] !== undefined);
  // schemas and id first, as in every other response
  const { schemas: _schemas, id, ...rest } = projected;
  return { schemas: kept, ...(id === undefined ? {} : { id }), ...rest };
}

/** An own data property even for a key like `__proto__`, which plain assignment would turn into a prototype change. */
function setOwn(target: ScimJson, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is ScimJson {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}
