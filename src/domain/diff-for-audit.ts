import { CORE_USER, isPlainObject } from "./scim-path";
import type { AuditChange, ScimJson } from "./types";

/** Attributes never recorded: server-managed, derived (`groups`) or secret (`password`). */
const IGNORED = new Set(["meta", "id", "schemas", "groups", "password"]);

interface Field {
  path: string;
  value: unknown;
}

/**
 * SPEC §5: the changed fields of a resource, keyed by SCIM attribute path as in
 * a PATCH, absent values as null. Multi-valued attributes compare as sets, so
 * a client re-sending emails in another order records nothing.
 */
export function diffForAudit(before: ScimJson, after: ScimJson): AuditChange {
  const old = flatten(before);
  const next = flatten(after);
  const change: AuditChange = { before: {}, after: {} };
  const keys = new Set([...old.keys(), ...next.keys()]);
  for (const key of keys) {
    const was = old.get(key);
    const now = next.get(key);
    if (canonical(was?.value ?? null) === canonical(now?.value ?? null)) continue;
    // Prefer the after-image's spelling of the path: it is what the store now holds.
    const path = (now ?? was)!.path;
    change.before[path] = was === undefined ? null : copy(was.value);
    change.after[path] = now === undefined ? null : copy(now.value);
  }
  return change;
}

/** Path (lowercased) → field, with unassigned values (null, empty array, empty object) left out (RFC 7643 §2.5). */
function flatten(resource: ScimJson): Map<string, Field> {
  const fields = new Map<string, Field>();
  const put = (path: string, value: unknown): void => {
    if (isUnassigned(value)) return;
    fields.set(path.toLowerCase(), { path, value });
  };
  const putCore = (name: string, value: unknown): void => {
    if (IGNORED.has(name.toLowerCase())) return;
    if (isPlainObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) put(`${name}.${sub}`, subValue);
    } else {
      put(name, value);
    }
  };
  for (const [name, value] of Object.entries(resource)) {
    if (/^urn:/i.test(name) && isPlainObject(value)) {
      if (name.toLowerCase() === CORE_USER.toLowerCase()) {
        for (const [attr, attrValue] of Object.entries(value)) putCore(attr, attrValue);
        continue;
      }
      for (const [attr, attrValue] of Object.entries(value)) {
        put(`${name}:${attr}`, attr.toLowerCase() === "manager" ? managerReference(attrValue) : attrValue);
      }
    } else {
      putCore(name, value);
    }
  }
  return fields;
}

/** A manager is recorded as `{value}` only: its display name is someone else's data and changes on its own. */
function managerReference(manager: unknown): unknown {
  if (typeof manager === "string") return manager.trim() === "" ? null : { value: manager };
  if (isPlainObject(manager)) {
    const value = manager.value;
    if (value === undefined || value === null || value === "") return null;
    return { value };
  }
  return manager;
}

function isUnassigned(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** A stable text form: object keys sorted, array elements sorted, dates as ISO strings. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(",")}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined && value[key] !== null)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
