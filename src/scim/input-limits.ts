/**
 * Every bound Roster puts on what a client sends, in one place (SPEC §7). An input over a
 * bound is a precise SCIM error, never a 500 or a stall: counts and sizes are `413`, malformed
 * or over-deep input is `400`. What RFC 7644 §5 lets a server advertise is advertised in
 * ServiceProviderConfig (`bulk.maxOperations`, `bulk.maxPayloadSize`, `filter.maxResults`).
 * The body size itself is configuration (`ROSTER_MAX_PAYLOAD_SIZE`), as it is deployment-specific.
 */
export const INPUT_LIMITS = Object.freeze({
  /** `count` default and cap (RFC 7644 §3.4.2.4, SPEC §3); a larger count is capped, not refused */
  defaultCount: 100,
  maxResults: 1000,
  /** `startIndex` beyond this is refused: MongoDB's skip takes an int64, JavaScript counts exactly to 2^53 */
  maxStartIndex: Number.MAX_SAFE_INTEGER,
  /** operations in one /Bulk request (advertised as bulk.maxOperations, RFC 7644 §3.7.4: 413 beyond) */
  maxBulkOperations: 1000,
  /** operations in one PATCH request (RFC 7644 §3.5.2) */
  maxPatchOperations: 1000,
  /** members one POST, PUT or PATCH of a group may name (RFC 7643 §4.2); PATCH counts every operation's members */
  maxMembersPerRequest: 10_000,
  /** characters of a `filter` (RFC 7644 §3.4.2.2) */
  maxFilterLength: 4096,
  /**
   * nesting of a filter: parentheses, `not`, value paths. Each level adds up to two levels to the
   * MongoDB query, whose documents may nest 100 levels at most; real filters nest 2 or 3.
   */
  maxFilterDepth: 32,
  /** nesting of a JSON request body; a SCIM resource nests 4 levels, a Bulk request 7 */
  maxJsonDepth: 32,
  /** paths in `attributes` or `excludedAttributes` (RFC 7644 §3.4.2.5), and characters of the parameter */
  maxAttributePaths: 200,
  maxAttributesLength: 4096,
  /** characters of `sortBy` */
  maxSortByLength: 512,
  /** characters of a `cursor` (RFC 9865); Roster's own cursors stay far below */
  maxCursorLength: 2048,
  /** characters of the id or string sort value inside a cursor */
  maxCursorValueLength: 1024,
});
