import { getCaseInsensitive, isPlainObject, parseAttributePath } from "./scim-path";
import type { ScimJson } from "./types";

/**
 * Sub-attributes that describe a value rather than being one: `{type:"work"}`
 * is not an email and `{displayName:"Bob"}` is not a manager reference.
 */
const DESCRIPTIVE_SUB_ATTRIBUTES = new Set(["type", "primary", "display", "displayname", "$ref"]);

/** SPEC §4 Deactivate 1: the required profile paths the user lacks, spelled and ordered as the policy gives them. */
export function findProfileGaps(user: ScimJson, requiredPaths: string[]): string[] {
  const gaps: string[] = [];
  for (const path of requiredPaths) {
    if (gaps.includes(path)) continue;
    if (!hasValueAt(user, path)) gaps.push(path);
  }
  return gaps;
}

function hasValueAt(user: ScimJson, path: string): boolean {
  const { urn, segments } = parseAttributePath(path, user);
  if (segments.some((segment) => segment.trim() === "")) return false;
  let scopes: unknown[];
  if (urn === null) {
    scopes = [user];
  } else {
    scopes = getCaseInsensitive(user, urn);
    // Some clients flatten extension attributes into `<URN>:<attr>` keys; honour that too.
    if (getCaseInsensitive(user, path.trim()).some(isFilled)) return true;
  }
  return resolve(scopes, segments).some(isFilled);
}

/** Every value reached by following `segments`, stepping through multi-valued attributes. */
function resolve(scopes: unknown[], segments: string[]): unknown[] {
  let current = scopes;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const scope of current) {
      for (const item of Array.isArray(scope) ? scope : [scope]) {
        if (isPlainObject(item)) next.push(...getCaseInsensitive(item, segment));
      }
    }
    current = next;
  }
  return current;
}

/** Empty means missing, null, blank string, an array with no filled element, or an object with no filled value. */
function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.some(isFilled);
  if (isPlainObject(value)) {
    return Object.keys(value).some(
      (key) => !DESCRIPTIVE_SUB_ATTRIBUTES.has(key.toLowerCase()) && isFilled(value[key]),
    );
  }
  return true;
}
