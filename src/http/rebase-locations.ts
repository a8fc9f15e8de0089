/**
 * scimmy keeps one process-wide base path per resource type, which a per-request value would
 * leak from one request into another's response under concurrency. So it is set once, to this
 * origin, and each response puts its own request's origin in its place (RFC 7644 §3.1 Location).
 */
export const LOCATION_PLACEHOLDER = "https://roster.invalid";

/** A resource location as the client that asked sees it: `origin` (`https://host`) instead of the placeholder. */
export function rebaseLocation(location: string, origin: string): string {
  return location.startsWith(`${LOCATION_PLACEHOLDER}/`) ? `${origin}${location.slice(LOCATION_PLACEHOLDER.length)}` : location;
}

/** A copy of a response body whose `location` values (meta.location, Bulk operations) use `origin`. */
export function rebaseLocations<T>(body: T, origin: string): T {
  return rebase(body, origin) as T;
}

function rebase(value: unknown, origin: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebase(item, origin));
  if (typeof value !== "object" || value === null) return value;
  // scimmy's messages and resources are class instances: their JSON is what the client gets
  if (!isPlainObject(value)) return rebase(JSON.parse(JSON.stringify(value)) as unknown, origin);
  // fromEntries defines own properties, so a `__proto__` key stays a key
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === "location" && typeof inner === "string" ? rebaseLocation(inner, origin) : rebase(inner, origin)]),
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
