export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export const REDACTED = "[redacted]";

export interface ScimUser {
  id: string;
  userName: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  emails?: Array<{ value: string; primary?: boolean; type?: string }>;
  active: boolean;
  title?: string;
  meta?: { created?: string; lastModified?: string };
  [key: string]: unknown;
}

export function nameOf(user: { displayName?: string | null; userName: string; name?: ScimUser["name"] }): string {
  if (user.displayName) return user.displayName;
  const parts = [user.name?.givenName, user.name?.familyName].filter(Boolean);
  return parts.length ? parts.join(" ") : user.userName;
}

export function emailOf(user: ScimUser): string {
  const emails = user.emails ?? [];
  return (emails.find((email) => email.primary) ?? emails[0])?.value ?? "";
}

/** A short, readable version of an audit entry's before/after values. */
export function summarize(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${key}: ${typeof item === "object" && item !== null ? JSON.stringify(item) : String(item)}`)
    .join(", ");
}
