/**
 * fast-check generators of hostile SCIM requests: filters (valid grammar and near-valid garbage),
 * attribute paths, sortBy, cursors, paging numbers, PATCH documents, POST/PUT/Bulk bodies with
 * hostile keys, deep nesting, huge arrays, odd Unicode and NUL bytes.
 */
import fc from "fast-check";

export interface FuzzRequest {
  method: string;
  /** relative to /scim/v2, query included */
  path: string;
  /** an object is sent as JSON; a string is sent as is (malformed JSON, odd text) */
  body?: unknown;
  contentType?: string;
}

/** Ids the generators aim requests at: the attacker's own resources, and the other tenant's. */
export interface FuzzTargets {
  userIds: string[];
  groupIds: string[];
  foreignUserIds: string[];
  foreignGroupIds: string[];
}

import { ENTERPRISE, ROSTER_USER, ROSTER_GROUP, CORE_USER, CORE_GROUP, PATCH_OP, BULK_REQUEST } from "../support/urns";

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "$where", "$gt", "$ne", "$regex", "__PROTO__", "Constructor", "toString", "hasOwnProperty", "valueOf"];
const KNOWN_PATHS = [
  "id", "externalId", "userName", "displayName", "nickName", "title", "active", "password", "name", "name.givenName", "name.familyName",
  "emails", "emails.value", "emails.type", "emails.primary", "phoneNumbers.value", "addresses.locality", "roles", "groups", "groups.value",
  "members", "members.value", "members.display", "members.$ref", "meta", "meta.created", "meta.lastModified", "meta.version", "schemas",
  `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:department`, ENTERPRISE, `${ROSTER_USER}:leaveDate`, ROSTER_USER,
  `${ROSTER_GROUP}:manager.value`, ROSTER_GROUP, `${CORE_USER}:userName`, `${CORE_GROUP}:displayName`, `${CORE_USER}:name.givenName`,
];

/** Text with odd Unicode: NUL and control characters, lone surrogates, combining marks, RTL marks. */
export const oddText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\u202e", "e\u0301", "😀", "\uFFFF", "\\", '"', "'", "%00", "%", "\r\n", "${x}", "{$gt:1}"),
);

function randomCase(text: string, flips: number[]): string {
  return [...text].map((char, index) => (flips[index % Math.max(1, flips.length)] % 2 ? char.toUpperCase() : char.toLowerCase())).join("");
}

/** An attribute path: known, hostile at any depth, in any case, with or without a URN prefix, or garbage. */
export const attrPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...KNOWN_PATHS, ""), fc.constantFrom(...HOSTILE_KEYS), fc.constantFrom("", ".x", ".polluted", ".__proto__", ".constructor.prototype")).map(
      ([base, key, tail]) => `${base ? `${base}.` : ""}${key}${tail}`,
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(CORE_USER, CORE_GROUP, ENTERPRISE, ROSTER_USER, ROSTER_GROUP, "urn:x"), fc.constantFrom(...HOSTILE_KEYS, "userName", "manager.value")).map(([urn, key]) => `${urn}:${key}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_PATHS), fc.array(fc.nat(1), { minLength: 1, maxLength: 8 })).map(([path, flips]) => randomCase(path, flips)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$.:-]{0,30}$/) },
  { weight: 1, arbitrary: oddText },
);

const compValue = fc.oneof(
  fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
  oddText.map((text) => JSON.stringify(text)),
  fc.constantFrom("true", "false", "null", "True", "FALSE", "0", "-1", "1e400", "3.5", '"2024-01-01T00:00:00Z"', '"2024-02-30"', "bare", '"\\u0000"', '"\\ud800"', '"a\\"b"', '"unterminated'),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
);
const compareOp = fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Co", "xx");
const subAttr = fc.constantFrom("value", "type", "display", "primary", "__proto__", "constructor", "$ref", "Value");

/** Filters by the grammar of RFC 7644 §3.4.2.2 (over any paths, so many are semantically wrong). */
export const validFilter: fc.Arbitrary<string> = fc.letrec<{ filter: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(attrPath, compareOp, compValue).map(([path, op, value]) => `${path} ${op} ${value}`),
    attrPath.map((path) => `${path} pr`),
    fc.tuple(fc.constantFrom("emails", "members", "addresses", "phoneNumbers", "roles", "name", "__proto__"), subAttr, compareOp, compValue).map(
      ([multi, sub, op, value]) => `${multi}[${sub} ${op} ${value}]`,
    ),
    fc.tuple(fc.constantFrom("emails", "members", "x509Certificates"), subAttr, compValue, subAttr, compValue).map(
      ([multi, sub, value, sub2, value2]) => `${multi}[${sub} eq ${value}].${sub2} eq ${value2}`,
    ),
    tie("filter").map((inner) => `(${inner})`),
    tie("filter").map((inner) => `not (${inner})`),
    fc.tuple(tie("filter"), fc.constantFrom(" and ", " or ", " AND ", " Or "), tie("filter")).map(([a, op, b]) => `${a}${op}${b}`),
  ),
})).filter;

/** Near-valid garbage: a valid filter with a character deleted, inserted or the text cut, or deep nesting. */
export const garbledFilter: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validFilter, fc.nat(), fc.constantFrom("(", ")", "[", "]", '"', " ", "\\", "\u0000", ".", ":", "not ", " and")).map(([filter, at, char]) => {
    const index = at % (filter.length + 1);
    return at % 3 === 0 ? filter.slice(0, index) + filter.slice(index + 1) : at % 3 === 1 ? filter.slice(0, index) + char + filter.slice(index) : filter.slice(0, index);
  }),
  fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom("(", "not (", "not(", "not ", "emails[", "((")).map(([depth, open]) => `${open.repeat(depth)}userName pr${")".repeat(depth)}`),
  fc.integer({ min: 4000, max: 6000 }).map((length) => `userName eq "${"a".repeat(length)}"`),
  oddText,
);

/** A forged or garbled RFC 9865 cursor. */
export const cursor: fc.Arbitrary<string> = fc.oneof(
  fc.constant(""),
  fc
    .record({
      f: fc.constantFrom("_id", "userNameKey", "displayNameKey", "created", "__proto__", "active"),
      o: fc.constantFrom(1, -1, 0, "1"),
      v: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ $regex: ".*" }), fc.constant({ $where: "sleep(100)" }), fc.constant({ $gt: "" }), fc.constant("2024-01-01T00:00:00.000Z")),
      id: fc.oneof(fc.string({ maxLength: 8 }), fc.constant({ $ne: null }), fc.constant(null)),
      d: fc.option(fc.constantFrom(true, false, 1)),
    }, { requiredKeys: [] })
    .map((position) => Buffer.from(JSON.stringify(position)).toString("base64url")),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? "").toString("base64url")),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("%%%", "=", "A".repeat(3000), "eyJ9", "e30"),
);

/** startIndex / count as text. */
export const pagingNumber = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -2, max: 20 }).map(String) }, fc.integer().map(String), fc.constantFrom("1e400", "-5", "abc", "9007199254740993", "", "0x1f", "1.5", " 3", "Infinity", "NaN", "+2", "00"), fc.string({ maxLength: 6 }));

/** A JSON value with hostile keys, odd text, deep nesting and, rarely, huge arrays. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 2, arbitrary: fc.constantFrom("True", "False", "", null, 0, -0, 1e308, true) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => withKey({}, key, value)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 80 }).map(nested) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 12_000 }).map((length) => Array.from({ length }, (_unused, index) => ({ value: `v${index}` }))) },
);

/** An object with an own property even for `__proto__`, which JSON.stringify then sends as a key. */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

export function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let level = 1; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

/** Query text whatever the characters: a lone surrogate cannot be percent-encoded, so it becomes U+FFFD. */
export function encodeQueryValue(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
}

function query(parameters: Array<[string, string | undefined]>): string {
  const present = parameters.filter((entry): entry is [string, string] => entry[1] !== undefined);
  return present.length ? `?${present.map(([name, value]) => `${name}=${encodeQueryValue(value)}`).join("&")}` : "";
}

const resource = fc.constantFrom("Users", "Groups");
const attributeList = fc.array(attrPath, { maxLength: 5 }).map((paths) => paths.join(","));

function listRequest(): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      resource,
      filter: fc.option(fc.oneof({ weight: 3, arbitrary: validFilter }, { weight: 1, arbitrary: garbledFilter }), { nil: undefined, freq: 2 }),
      sortBy: fc.option(attrPath, { nil: undefined, freq: 2 }),
      sortOrder: fc.option(fc.constantFrom("ascending", "descending", "DESC", "x", ""), { nil: undefined, freq: 2 }),
      startIndex: fc.option(pagingNumber, { nil: undefined, freq: 2 }),
      count: fc.option(pagingNumber, { nil: undefined, freq: 2 }),
      cursor: fc.option(cursor, { nil: undefined, freq: 2 }),
      attributes: fc.option(attributeList, { nil: undefined, freq: 2 }),
      excludedAttributes: fc.option(attributeList, { nil: undefined, freq: 2 }),
    }, { requiredKeys: ["resource"] })
    .map((q) => ({
      method: "GET",
      path: `/${q.resource}${query([["filter", q.filter], ["sortBy", q.sortBy], ["sortOrder", q.sortOrder], ["startIndex", q.startIndex], ["count", q.count], ["cursor", q.cursor], ["attributes", q.attributes], ["excludedAttributes", q.excludedAttributes]])}`,
    }));
}

function targetId(targets: FuzzTargets, kind: "Users" | "Groups"): fc.Arbitrary<string> {
  const own = kind === "Users" ? targets.userIds : targets.groupIds;
  const foreign = kind === "Users" ? targets.foreignUserIds : targets.foreignGroupIds;
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...own) }, fc.constantFrom(...foreign), fc.constantFrom("__proto__", "constructor", "%00", "x".repeat(300), "..", "$where"), fc.uuid());
}

function patchOperation(targets: FuzzTargets): fc.Arbitrary<unknown> {
  return fc.record({
    op: fc.constantFrom("add", "Add", "REPLACE", "replace", "remove", "Remove", "copy", 5, null, "__proto__"),
    path: fc.oneof(
      attrPath,
      fc.tuple(fc.constantFrom("emails", "members", "addresses", "__proto__"), validFilter, fc.option(subAttr, { nil: undefined })).map(([multi, filter, sub]) => `${multi}[${filter}]${sub ? `.${sub}` : ""}`),
      fc.constantFrom(`members[value eq "${targets.foreignUserIds[0]}"]`, `members[value eq "${targets.userIds[0]}"]`, `${ENTERPRISE}:manager`, "emails[type eq \"work\"].value"),
    ),
    value: fc.oneof(
      hostileValue,
      fc.constantFrom(...targets.userIds, ...targets.foreignUserIds).map((value) => [{ value }]),
      fc.record({ active: fc.constantFrom(false, "False", "true", 0) }),
      fc.tuple(attrPath, hostileValue).map(([key, value]) => withKey({}, key, value)),
    ),
  }, { requiredKeys: ["op"] });
}

function patchRequest(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(resource, fc.constantFrom("Operations", "operations", "OPERATIONS"), fc.oneof(fc.array(patchOperation(targets), { minLength: 0, maxLength: 4 }), fc.integer({ min: 1001, max: 1100 }).map((length) => Array.from({ length }, () => ({ op: "replace", path: "title", value: "t" }))), hostileValue))
    .chain(([kind, key, operations]) =>
      targetId(targets, kind as "Users" | "Groups").map((id) => ({ method: "PATCH", path: `/${kind}/${encodeQueryValue(id)}`, body: withKey({ schemas: [PATCH_OP] }, key, operations) })),
    );
}

/** A user or group body: mostly right, with hostile extra keys and values. */
function resourceBody(kind: "Users" | "Groups", marker: string): fc.Arbitrary<unknown> {
  const base = kind === "Users"
    ? fc.record({ userName: fc.oneof(fc.string({ maxLength: 10 }).map((name) => `${marker}${name}`), oddText, fc.constant(undefined)), active: fc.option(fc.constantFrom(true, false, "False", "yes"), { nil: undefined }) })
    : fc.record({ displayName: fc.oneof(fc.string({ maxLength: 10 }).map((name) => `${marker}${name}`), oddText, fc.constant(undefined)) });
  return fc
    .tuple(base, fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), attrPath), hostileValue), { maxLength: 3 }), fc.boolean())
    .map(([body, extras, withSchemas]) => {
      const out: Record<string, unknown> = withSchemas ? { schemas: [kind === "Users" ? CORE_USER : CORE_GROUP] } : {};
      for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = value;
      for (const [key, value] of extras) withKey(out, key, value);
      return out;
    });
}

function writeRequest(targets: FuzzTargets, marker: string): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    fc.tuple(resource, fc.option(attributeList, { nil: undefined })).chain(([kind, attributes]) =>
      resourceBody(kind as "Users" | "Groups", marker).map((body) => ({ method: "POST", path: `/${kind}${query([["attributes", attributes]])}`, body })),
    ),
    resource.chain((kind) =>
      fc.tuple(targetId(targets, kind as "Users" | "Groups"), resourceBody(kind as "Users" | "Groups", marker)).map(([id, body]) => ({ method: "PUT", path: `/${kind}/${encodeQueryValue(id)}`, body })),
    ),
  );
}

function bulkRequest(targets: FuzzTargets, marker: string): fc.Arbitrary<FuzzRequest> {
  const operation = fc.record({
    method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "post", "GET", "__proto__"),
    path: fc.oneof(fc.constantFrom("/Users", "/Groups", `/Users/${targets.userIds[0]}`, `/Groups/${targets.groupIds[0]}`, `/Users/${targets.foreignUserIds[0]}`, "/Users/bulkId:b1", "/__proto__"), oddText),
    bulkId: fc.option(fc.constantFrom("b1", "b2", "__proto__", "constructor"), { nil: undefined }),
    data: fc.oneof(resourceBody("Users", marker), resourceBody("Groups", marker), fc.array(patchOperation(targets), { maxLength: 2 }).map((Operations) => ({ schemas: [PATCH_OP], Operations })), hostileValue),
  }, { requiredKeys: ["method", "path"] });
  return fc.tuple(fc.array(operation, { minLength: 0, maxLength: 4 }), fc.option(fc.oneof(fc.integer(), fc.constant("x")), { nil: undefined })).map(([Operations, failOnErrors]) => ({
    method: "POST",
    path: "/Bulk",
    body: { schemas: [BULK_REQUEST], ...(failOnErrors === undefined ? {} : { failOnErrors }), Operations },
  }));
}

function readRequest(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(resource, fc.option(attributeList, { nil: undefined }), fc.option(attributeList, { nil: undefined }))
    .chain(([kind, attributes, excludedAttributes]) =>
      targetId(targets, kind as "Users" | "Groups").map((id) => ({ method: "GET", path: `/${kind}/${encodeQueryValue(id)}${query([["attributes", attributes], ["excludedAttributes", excludedAttributes]])}` })),
    );
}

const rawBody: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom("POST /Users", "PUT /Users/x", "PATCH /Groups/x", "POST /Bulk"), fc.oneof(fc.constantFrom("{", "null", "[]", "\u0000", '{"a":1,}', '"text"', "1e400", `${"[".repeat(5000)}`, `{"__proto__":{"polluted":1}}`, `{"constructor":{"prototype":{"polluted":1}}}`), oddText), fc.constantFrom("application/scim+json", "application/json", "text/plain"))
  .map(([line, body, contentType]) => {
    const [method, path] = line.split(" ");
    return { method, path, body, contentType };
  });

/** Any hostile SCIM request a client of one tenant could send. */
export function fuzzRequest(targets: FuzzTargets, marker: string): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 5, arbitrary: listRequest() },
    { weight: 2, arbitrary: readRequest(targets) },
    { weight: 4, arbitrary: patchRequest(targets) },
    { weight: 3, arbitrary: writeRequest(targets, marker) },
    { weight: 1, arbitrary: bulkRequest(targets, marker) },
    { weight: 1, arbitrary: rawBody },
    { weight: 1, arbitrary: resource.chain((kind) => targetId(targets, kind as "Users" | "Groups").map((id) => ({ method: "DELETE", path: `/${kind}/${encodeQueryValue(id)}` }))) },
  );
}
