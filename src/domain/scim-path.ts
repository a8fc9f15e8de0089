/**
 * Small helpers for reading SCIM JSON by attribute path, shared by the rules
 * that take policy paths (RFC 7644 §3.10 attribute notation).
 */
import type { ScimJson } from "./types";

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/** A policy path split into the schema it names (null: core) and its attribute segments. */
export interface ParsedAttributePath {
  /** extension URN as written, or null for core attributes */
  urn: string | null;
  /** attribute name then optional sub-attribute, e.g. ["name", "givenName"] */
  segments: string[];
}

/** Whether a value is a plain JSON object (not an array, Date or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Values of every key of `object` equal to `name` ignoring case (RFC 7643 §2.1: names are case-insensitive). */
export function getCaseInsensitive(object: Record<string, unknown>, name: string): unknown[] {
  const wanted = name.toLowerCase();
  const found: unknown[] = [];
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === wanted) found.push(object[key]);
  }
  return found;
}

/**
 * Splits a path such as `name.givenName`, `<core URN>:name.givenName` or
 * `<extension URN>:manager.value`. URNs the resource carries as keys are
 * matched first; otherwise the attribute is whatever follows the last colon
 * (attribute names never contain one).
 */
export function parseAttributePath(path: string, resource: ScimJson): ParsedAttributePath {
  const trimmed = path.trim();
  if (!/^urn:/i.test(trimmed)) return { urn: null, segments: trimmed.split(".") };
  const lower = trimmed.toLowerCase();
  const knownUrns = [CORE_USER, ...Object.keys(resource).filter((key) => /^urn:/i.test(key))];
  // The longest URN that prefixes the path wins, so nested URNs cannot shadow each other.
  let urn: string | null = null;
  for (const candidate of knownUrns) {
    if (lower.startsWith(`${candidate.toLowerCase()}:`) && (urn === null || candidate.length > urn.length)) {
      urn = candidate;
    }
  }
  let attribute: string;
  if (urn !== null) {
    attribute = trimmed.slice(urn.length + 1);
  } else {
    const colon = trimmed.lastIndexOf(":");
    urn = trimmed.slice(0, colon);
    attribute = trimmed.slice(colon + 1);
  }
  return { urn: urn.toLowerCase() === CORE_USER.toLowerCase() ? null : urn, segments: attribute.split(".") };
}
