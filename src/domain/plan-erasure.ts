import { isPlainObject } from "./scim-path";
import type { ScimJson } from "./types";

export const ERASED_DISPLAY_NAME = "(deleted user)";

/**
 * Attributes wiped by an erasure: SPEC §4 Erase lists the first seven; `ims`,
 * `profileUrl` and `x509Certificates` identify the person just as much.
 */
export const ERASED_ATTRIBUTES = [
  "name",
  "emails",
  "phoneNumbers",
  "photos",
  "addresses",
  "nickName",
  "title",
  "ims",
  "profileUrl",
  "x509Certificates",
] as const;

/** Sub-attributes that classify a value (`"work"`, `true`) rather than hold personal data. */
const CLASSIFIERS = new Set(["type", "primary"]);

/** The erased user and every former personal value, for redacting the audit log. */
export interface Erasure {
  erased: ScimJson;
  personalValues: string[];
}

/** SPEC §4 Erase (seed 004): wipe personal data, keep id, externalId, state and enterprise attributes. */
export function planErasure(user: ScimJson, id: string): Erasure {
  const wiped = new Set<string>([...ERASED_ATTRIBUTES, "displayName", "userName"].map((name) => name.toLowerCase()));
  const erasedUserName = `deleted-${id}`;
  const collected: string[] = [];
  const erased: ScimJson = {};
  for (const [key, value] of Object.entries(user)) {
    if (wiped.has(key.toLowerCase())) collectStrings(value, collected);
    else erased[key] = structuredClone(value);
  }
  erased.userName = erasedUserName;
  erased.displayName = ERASED_DISPLAY_NAME;

  // The placeholders are not personal: redacting them would hide a second erasure's own audit entry.
  const placeholders = new Set([ERASED_DISPLAY_NAME, erasedUserName].map((value) => value.toLowerCase()));
  const seen = new Set<string>();
  const personalValues: string[] = [];
  for (const raw of collected) {
    const value = raw.trim();
    const key = value.toLowerCase();
    if (value === "" || placeholders.has(key) || seen.has(key)) continue;
    seen.add(key);
    personalValues.push(value);
  }
  return { erased, personalValues };
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (isPlainObject(value)) {
    for (const [key, sub] of Object.entries(value)) {
      if (!CLASSIFIERS.has(key.toLowerCase())) collectStrings(sub, into);
    }
  }
}
