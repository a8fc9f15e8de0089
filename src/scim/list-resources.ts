import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import type { GroupDoc, UserDoc } from "../store/documents";
import { listGroups } from "../store/group-store";
import { groupsOfUsers, memberIdsOf } from "../store/membership-store";
import { supportsElemMatchDocuments } from "../store/capabilities";
import { listUsers } from "../store/user-store";
import { afterPosition, decodeCursor, encodeCursor, type CursorValue } from "./cursor";
import { FilterError, GROUP_ATTRIBUTES, USER_ATTRIBUTES, filterToMongo, parseFilter, sortKey, type SortKey } from "./filter";
import { groupDocToScim } from "../services/group-resource";
import { userDocToScim } from "../services/user-resource";
import { usersBaseOf, withMemberDetails } from "./member-details";
import { membershipResolvers } from "./membership-resolvers";
import { INPUT_LIMITS } from "./input-limits";
import { checkSelection, projectAttributes, selectsAttribute } from "./project-attributes";
import { serializeResource } from "./serialize-resource";

export const DEFAULT_COUNT = INPUT_LIMITS.defaultCount;
export const MAX_RESULTS = INPUT_LIMITS.maxResults;
const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ListQuery {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string;
  count?: string;
  cursor?: string;
  attributes?: string;
  excludedAttributes?: string;
}

/**
 * GET /Users and /Groups: filter, sort and page inside MongoDB (SPEC §3), by
 * index (`startIndex`) or by RFC 9865 cursor (`cursor`), with exact totals.
 */
export async function listResources(kind: "User" | "Group", tenant: string, query: ListQuery, basepath: string): Promise<ScimJson> {
  requireSingleValues(query);
  const selection = { attributes: query.attributes, excludedAttributes: query.excludedAttributes };
  checkSelection(selection);
  const attributes = kind === "User" ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
  const count = Math.min(parseIndex("count", query.count, DEFAULT_COUNT, 0), MAX_RESULTS);
  const startIndex = parseIndex("startIndex", query.startIndex, 1, 1);
  let condition: Record<string, unknown> = {};
  let sort: SortKey & { order: 1 | -1 };
  try {
    if (query.filter !== undefined && query.filter.trim() !== "") {
      condition = await filterToMongo(parseFilter(query.filter), attributes, membershipResolvers(tenant), { elemMatchDocuments: supportsElemMatchDocuments() });
    }
    if (query.sortBy !== undefined && query.sortBy.length > INPUT_LIMITS.maxSortByLength) throw new FilterError(`sortBy is longer than ${INPUT_LIMITS.maxSortByLength} characters`);
    const key: SortKey = query.sortBy ? sortKey(query.sortBy, attributes) : { field: "_id", type: "string" };
    sort = { ...key, order: /^desc/i.test(query.sortOrder ?? "") ? -1 : 1 };
  } catch (error) {
    if (error instanceof FilterError) throw RosterError.invalidFilter(error.message);
    throw error;
  }
  const base = kind === "User" ? { tenant, deletedAt: null } : { tenant };
  const matching = Object.keys(condition).length ? { $and: [base, condition] } : base;
  const sortSpec: Record<string, 1 | -1> = sort.field === "_id" ? { _id: sort.order } : { [sort.field]: sort.order, _id: sort.order };

  const useCursor = query.cursor !== undefined;
  let pageQuery: Record<string, unknown> = matching;
  let skip = 0;
  if (useCursor && query.cursor) {
    const position = decodeCursor(query.cursor, sort.field, sort.order, sort.type);
    pageQuery = { $and: [matching, afterPosition(sort.field, sort.order, position)] };
  } else if (!useCursor) {
    skip = startIndex - 1;
  }

  // one extra document tells whether a next cursor exists
  const fetch = useCursor ? count + 1 : count;
  // a cursor page narrows the query; totalResults still counts everything that matches
  const countQuery = pageQuery === matching ? undefined : matching;
  const page = kind === "User" ? await listUsers(pageQuery, sortSpec, skip, fetch, countQuery) : await listGroups(pageQuery, sortSpec, skip, fetch, countQuery);
  const docs = page.docs.slice(0, count) as Array<UserDoc | GroupDoc>;
  // count=0 asks for no resources: there is no last one to continue after
  const hasMore = useCursor && docs.length > 0 && page.docs.length > count;

  const json = kind === "User" ? await usersJson(tenant, docs as UserDoc[], selectsAttribute(selection, "groups")) : await groupsJson(tenant, docs as GroupDoc[], selectsAttribute(selection, "members"), usersBaseOf(basepath));
  // serialized as scimmy would (meta.location, never-returned attributes); Roster applies attributes/excludedAttributes
  const resources = json.map((resource) => projectAttributes(serializeResource(kind, resource, basepath), selection));

  const response: ScimJson = { schemas: [LIST_RESPONSE], totalResults: page.total, itemsPerPage: resources.length };
  if (!useCursor) response.startIndex = startIndex;
  if (hasMore) {
    const last = docs[docs.length - 1] as unknown as Record<string, unknown>;
    response.nextCursor = encodeCursor(sort.field, sort.order, sortValue(readPath(last, sort.field), sort.order), String(last._id));
  }
  response.Resources = resources;
  return response;
}

/** `?filter=a&filter=b` (or `filter[x]=…`) reaches here as an array or object: a client error, not a crash. */
function requireSingleValues(query: ListQuery): void {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && typeof value !== "string") throw RosterError.invalidValue(`Query parameter '${name}' must be given once, as a string`);
  }
}

const INTEGER = /^[+-]?\d+$/;

/**
 * `startIndex` and `count` (RFC 7644 §3.4.2.4): a value below `floor` is taken as `floor`, as the
 * RFC says ("less than 1 SHALL be interpreted as 1", "negative … as 0"); text that is not an
 * integer, or one JavaScript cannot hold exactly (`9007199254740993`), is `400 invalidValue`.
 */
function parseIndex(name: string, text: string | undefined, fallback: number, floor: number): number {
  if (text === undefined || text.trim() === "") return fallback;
  const value = INTEGER.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value > INPUT_LIMITS.maxStartIndex) throw RosterError.invalidValue(`'${name}' must be an integer of at most ${INPUT_LIMITS.maxStartIndex}`);
  return Math.max(floor, value);
}

/** The value MongoDB sorts a document by: for an array, its least element ascending and its greatest descending. */
function sortValue(value: unknown, order: 1 | -1): CursorValue {
  if (Array.isArray(value)) {
    const primitives = value.filter((item): item is Exclude<CursorValue, null> => isCursorValue(item) && item !== null).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return (order === 1 ? primitives[0] : primitives[primitives.length - 1]) ?? null;
  }
  return isCursorValue(value) ? value : null;
}

function isCursorValue(value: unknown): value is CursorValue {
  return value === null || value instanceof Date || ["string", "number", "boolean"].includes(typeof value);
}

async function usersJson(tenant: string, docs: UserDoc[], withGroups: boolean): Promise<ScimJson[]> {
  // a selection without `groups` (RFC 7644 §3.9): their memberships are not read at all
  if (!withGroups) return docs.map((doc) => userDocToScim(doc));
  const groups = await groupsOfUsers(tenant, docs.map((doc) => doc._id));
  return docs.map((doc) => userDocToScim(doc, groups.get(doc._id) ?? []));
}

async function groupsJson(tenant: string, docs: GroupDoc[], withMembers: boolean, usersBase: string): Promise<ScimJson[]> {
  if (!withMembers) return docs.map((doc) => groupDocToScim(doc));
  const groups = await Promise.all(docs.map(async (doc) => groupDocToScim(doc, await memberIdsOf(tenant, doc._id))));
  // display and $ref of every member of the page: one users query
  return withMemberDetails(tenant, groups, usersBase);
}

/** The stored value at a dotted path; through an array (`emails.type`) it is every element's value, as MongoDB reads it. */
function readPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => {
    if (Array.isArray(value)) return value.map((item) => (isRecord(item) ? item[key] : undefined));
    return isRecord(value) ? value[key] : undefined;
  }, doc);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
