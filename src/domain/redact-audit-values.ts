import { isPlainObject } from "./scim-path";

export const REDACTED = "[redacted]";

/**
 * SPEC §4 Erase: a deep copy of an audit value in which every string equal to,
 * or containing, a personal value (ignoring case) becomes `[redacted]`.
 * Containment counts only whole words, so a title "IT" does not redact
 * "Digital" nor a name "Ann" redact "Annual review"; "Ann Lee" is redacted.
 */
export function redactAuditValues<T>(value: T, personalValues: string[]): T {
  const patterns = personalValues
    .map((personal) => personal.trim())
    .filter((personal) => personal !== "")
    .map((personal) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(personal)}(?![\\p{L}\\p{N}])`, "iu"));
  return redact(value, patterns) as T;
}

function redact(value: unknown, patterns: RegExp[]): unknown {
  if (typeof value === "string") return patterns.some((pattern) => pattern.test(value)) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, patterns));
  if (value instanceof Date) return new Date(value.getTime());
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redact(item, patterns);
    return copy;
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
