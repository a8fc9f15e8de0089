import { FilterError } from "./filter-error";
import type { CompValue, FilterNode } from "./filter-node";

/**
 * A predicate over one element of a multi-valued attribute (`type eq "work"` in
 * `emails[type eq "work"]`), for the value paths of `attributes`/`excludedAttributes`
 * (RFC 7644 §3.4.2.5): they select parts of a resource already read, so they are evaluated on
 * it, never sent to the database. Names are matched case-insensitively on the element's own
 * keys only (a `__proto__` path finds nothing); strings compare case-insensitively.
 */
export function elementMatcher(node: FilterNode): (element: unknown) => boolean {
  switch (node.kind) {
    case "and": {
      const parts = node.filters.map(elementMatcher);
      return (element) => parts.every((part) => part(element));
    }
    case "or": {
      const parts = node.filters.map(elementMatcher);
      return (element) => parts.some((part) => part(element));
    }
    case "not": {
      const inner = elementMatcher(node.filter);
      return (element) => !inner(element);
    }
    case "present": {
      const name = subName(node.attrPath);
      return (element) => isPresent(ownValue(element, name));
    }
    case "compare": {
      const name = subName(node.attrPath);
      const compare = comparison(node.op, node.value);
      return (element) => compare(ownValue(element, name));
    }
    case "valuePath":
      throw new FilterError("a value path inside a value path is not allowed");
  }
}

function subName(path: string): string {
  if (path.includes(".") || path.includes(":")) throw new FilterError(`'${path.slice(0, 100)}' must name a sub-attribute of the element`);
  return path.toLowerCase();
}

function ownValue(element: unknown, lowerName: string): unknown {
  if (typeof element !== "object" || element === null || Array.isArray(element)) return undefined;
  for (const [key, value] of Object.entries(element)) if (key.toLowerCase() === lowerName) return value;
  return undefined;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && !value.length);
}

function comparable(value: unknown): string | number | boolean | null | undefined {
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  return undefined;
}

function comparison(op: string, expected: CompValue): (actual: unknown) => boolean {
  const want = comparable(expected);
  const same = (actual: unknown) => {
    const have = comparable(actual);
    return have !== undefined && have === want;
  };
  const ordered = (test: (a: string | number, b: string | number) => boolean) => (actual: unknown) => {
    const have = comparable(actual);
    return (typeof have === "string" && typeof want === "string") || (typeof have === "number" && typeof want === "number") ? test(have as string | number, want as string | number) : false;
  };
  const text = (test: (a: string, b: string) => boolean) => (actual: unknown) => {
    const have = comparable(actual);
    return typeof have === "string" && typeof want === "string" && test(have, want);
  };
  switch (op) {
    case "eq":
      return same;
    case "ne":
      return (actual) => !same(actual);
    case "co":
      return text((a, b) => a.includes(b));
    case "sw":
      return text((a, b) => a.startsWith(b));
    case "ew":
      return text((a, b) => a.endsWith(b));
    case "gt":
      return ordered((a, b) => a > b);
    case "ge":
      return ordered((a, b) => a >= b);
    case "lt":
      return ordered((a, b) => a < b);
    case "le":
      return ordered((a, b) => a <= b);
    default:
      throw new FilterError(`unknown operator '${op}'`);
  }
}
