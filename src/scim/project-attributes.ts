import { RosterError } from "../domain/roster-error";
import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER, type ScimJson } from "../domain/types";

import { FilterError, elementMatcher, parseFilter } from "./filter";
import { INPUT_LIMITS } from "./input-limits";

/** The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5). */
export interface AttributeSelection {
  attributes?: string;
  excludedAttributes?: string;
}

/**
 * Which parts of a resource a list of attribute paths names: `true` is the whole value. Keys
 * come from the client, so the tree is a Map: `__proto__` or `constructor` is just a key (STYLE).
 * A value path (`emails[type eq "work"]`, `emails[type eq "work"].value`) names the matching
 * elements of a multi-valued attribute, or their sub-attributes (Filtered).
 */
type PathTree = Map<string, Selected>;
type Selected = true | PathTree | Filtered;

/** Elements picked by a filter: each branch is a value path's filter and what it names of a matching element; `rest` is what plain paths name of every element. */
interface Filtered {
  branches: Array<{ match: (element: unknown) => boolean; inner: true | PathTree }>;
  rest?: PathTree;
}

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
    // a value path's filter that does not parse is refused here, before any write
    parsePaths(list, name);
  }
}

/** Query parameters without the two that Roster applies itself. */
export function withoutSelection<T extends Record<string, unknown>>(query: T): T {
  const { attributes: _attributes, excludedAttributes: _excluded, ...rest } = query;
  return rest as T;
}

/** Parsed lists, as a list page projects every resource with the same one. */
const parsed = new Map<string, PathTree | undefined>();
const PARSED_KEPT = 64;

function parsePaths(list: string | undefined, name = "attributes"): PathTree | undefined {
  if (typeof list !== "string") return undefined;
  if (parsed.has(list)) return parsed.get(list);
  const paths = splitPaths(list).map((path) => path.trim()).filter(Boolean);
  let tree: PathTree | undefined;
  if (paths.length) {
    tree = new Map();
    for (const path of paths) {
      const { segments, valueFilter } = parsePath(path, name);
      addPath(tree, segments, valueFilter);
    }
  }
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(list, tree);
  return tree;
}

/** Splits at commas outside a value path's brackets and quoted strings (`emails[type eq "a,b"]`). */
function splitPaths(list: string): string[] {
  const paths: string[] = [];
  let start = 0;
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < list.length; index++) {
    const char = list[index];
    if (quoted) {
      if (char === "\\") index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "[") depth++;
    else if (char === "]") depth--;
    else if (char === "," && depth === 0) {
      paths.push(list.slice(start, index));
      start = index + 1;
    }
  }
  paths.push(list.slice(start));
  return paths;
}

interface ValueFilter {
  match: (element: unknown) => boolean;
  /** the sub-attribute after the brackets (`.value`), if any */
  after?: string;
}

const SUB_ATTRIBUTE = /^\.([A-Za-z$][A-Za-z0-9_$-]*)$/;

/** `emails[type eq "work"].value` → segments [emails], the filter on the elements, `value`. */
function parsePath(path: string, name: string): { segments: string[]; valueFilter?: ValueFilter } {
  const open = path.indexOf("[");
  if (open < 0) return { segments: segmentsOf(path) };
  const close = path.lastIndexOf("]");
  const after = path.slice(close + 1);
  const sub = SUB_ATTRIBUTE.exec(after);
  const attribute = path.slice(0, open);
  if (close < open || !attribute || (after && !sub)) throw RosterError.invalidFilter(`'${name}': '${path.slice(0, 200)}' is not an attribute path or value path`);
  try {
    const match = elementMatcher(parseFilter(path.slice(open + 1, close)));
    return { segments: segmentsOf(attribute), valueFilter: { match, after: sub?.[1].toLowerCase() } };
  } catch (error) {
    if (error instanceof FilterError) throw RosterError.invalidFilter(`'${name}': ${error.message}`);
    throw error;
  }
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

function addPath(tree: PathTree, segments: string[], valueFilter?: ValueFilter): void {
  const [head, ...rest] = segments;
  if (!head) return;
  const existing = tree.get(head);
  if (existing === true) return;
  if (rest.length) {
    if (isFiltered(existing)) {
      existing.rest ??= new Map();
      addPath(existing.rest, rest, valueFilter);
      return;
    }
    const child: PathTree = existing ?? new Map();
    tree.set(head, child);
    addPath(child, rest, valueFilter);
    return;
  }
  if (!valueFilter) {
    tree.set(head, true);
    return;
  }
  const branch = { match: valueFilter.match, inner: valueFilter.after ? new Map<string, Selected>([[valueFilter.after, true]]) : (true as const) };
  if (isFiltered(existing)) existing.branches.push(branch);
  else tree.set(head, { branches: [branch], rest: existing });
}

/** Keeps what `selected` names of a value. */
function pickSelected(value: unknown, selected: Selected): unknown {
  if (selected === true) return value;
  if (selected instanceof Map) return pick(value, selected);
  return pickElements(value, selected);
}

/** Keeps what the tree names; multi-valued attributes keep the named sub-attributes of every element. */
function pick(value: unknown, tree: PathTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree)).filter((item) => !isEmpty(item));
  if (!isObject(value)) return undefined;
  const out: ScimJson = {};
  for (const [key, inner] of Object.entries(value)) {
    const selected = tree.get(key.toLowerCase());
    if (selected === undefined) continue;
    const kept = pickSelected(inner, selected);
    if (!isEmpty(kept)) setOwn(out, key, kept);
  }
  return out;
}

/** The elements a value path's filter matches (whole, or the sub-attributes it names), with what plain paths name of every element. */
function pickElements(value: unknown, filtered: Filtered): unknown {
  if (!Array.isArray(value)) return undefined;
  const kept: unknown[] = [];
  for (const element of value) {
    const parts: unknown[] = filtered.rest ? [pick(element, filtered.rest)] : [];
    let whole = false;
    for (const branch of filtered.branches) {
      if (!branch.match(element)) continue;
      if (branch.inner === true) whole = true;
      else parts.push(pick(element, branch.inner));
    }
    const picked = whole ? element : merged(parts);
    if (!isEmpty(picked)) kept.push(picked);
  }
  return kept;
}

function merged(parts: unknown[]): ScimJson {
  const out: ScimJson = {};
  for (const part of parts) if (isObject(part)) for (const [key, inner] of Object.entries(part)) setOwn(out, key, inner);
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
    const kept = selected instanceof Map ? omit(inner, selected, false) : omitElements(inner, selected);
    if (!isEmpty(kept)) setOwn(out, key, kept);
  }
  return out;
}

/** Drops the elements a value path's filter matches (or the sub-attributes it names of them), and what plain paths name of every element. */
function omitElements(value: unknown, filtered: Filtered): unknown {
  if (!Array.isArray(value)) return filtered.rest ? omit(value, filtered.rest, false) : value;
  const kept: unknown[] = [];
  for (const element of value) {
    let left: unknown = element;
    let dropped = false;
    for (const branch of filtered.branches) {
      if (!branch.match(element)) continue;
      if (branch.inner === true) dropped = true;
      else left = omit(left, branch.inner, false);
    }
    if (dropped) continue;
    if (filtered.rest) left = omit(left, filtered.rest, false);
    if (!isEmpty(left)) kept.push(left);
  }
  return kept;
}

function isFiltered(selected: Selected | undefined): selected is Filtered {
  return selected !== undefined && selected !== true && !(selected instanceof Map);
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
