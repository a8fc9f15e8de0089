import SCIMMY from "scimmy";
import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import type { GroupDoc, UserDoc } from "../store/documents";
import { findGroups, listGroups } from "../store/group-store";
import { groupIdsOfUsers, memberIdsOf } from "../store/membership-store";
import { supportsElemMatchDocuments } from "../store/capabilities";
import { listUsers } from "../store/user-store";
import { afterPosition, decodeCursor, encodeCursor } from "./cursor";
import { FilterError, GROUP_ATTRIBUTES, USER_ATTRIBUTES, filterToMongo, parseFilter, sortField } from "./filter";
import { groupDocToScim } from "../services/group-resource";
import { userDocToScim } from "../services/user-resource";
import { membershipResolvers } from "./membership-resolvers";
import { projectAttributes, selectsAttribute } from "./project-attributes";

export const DEFAULT_COUNT = 100;
export const MAX_RESULTS = 1000;
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
  const attributes = kind === "User" ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
  const count = Math.min(parseCount(query.count), MAX_RESULTS);
  let condition: Record<string, unknown> = {};
  let sort: { field: string; order: 1 | -1 };
  try {
    if (query.filter !== undefined && query.filter.trim() !== "") {
      condition = await filterToMongo(parseFilter(query.filter), attributes, membershipResolvers(tenant), { elemMatchDocuments: supportsElemMatchDocuments() });
    }
    sort = { field: query.sortBy ? sortField(query.sortBy, attributes) : "_id", order: /^desc/i.test(query.sortOrder ?? "") ? -1 : 1 };
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
  const startIndex = Math.max(1, Number.parseInt(query.startIndex ?? "1", 10) || 1);
  if (useCursor && query.cursor) {
    const position = decodeCursor(query.cursor, sort.field, sort.order);
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
  const hasMore = useCursor && page.docs.length > count;

  const selection = { attributes: query.attributes, excludedAttributes: query.excludedAttributes };
  const json = kind === "User" ? await usersJson(tenant, docs as UserDoc[]) : await groupsJson(tenant, docs as GroupDoc[], selectsAttribute(selection, "members"));
  const Schema = (kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group) as unknown as new (...args: unknown[]) => ScimJson;
  // scimmy serializes (meta.location, never-returned attributes); Roster applies attributes/excludedAttributes
  const resources = json.map((resource) => projectAttributes(JSON.parse(JSON.stringify(new Schema(resource, "out", basepath))) as ScimJson, selection));

  const response: ScimJson = { schemas: [LIST_RESPONSE], totalResults: page.total, itemsPerPage: resources.length };
  if (!useCursor) response.startIndex = startIndex;
  if (hasMore) {
    const last = docs[docs.length - 1] as unknown as Record<string, unknown>;
    response.nextCursor = encodeCursor(sort.field, sort.order, readPath(last, sort.field), String(last._id));
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

function parseCount(text: string | undefined): number {
  if (text === undefined || text === "") return DEFAULT_COUNT;
  const value = Number.parseInt(text, 10);
  if (Number.isNaN(value) || value < 0) return 0;
  return value;
}

async function usersJson(tenant: string, docs: UserDoc[]): Promise<ScimJson[]> {
  const memberships = await groupIdsOfUsers(tenant, docs.map((doc) => doc._id));
  const groupIds = [...new Set([...memberships.values()].flat())];
  const names = new Map((await findGroups(tenant, groupIds)).map((group) => [group._id, group.displayName]));
  return docs.map((doc) =>
    userDocToScim(
      doc,
      (memberships.get(doc._id) ?? []).map((value) => ({ value, display: names.get(value) ?? "" })),
    ),
  );
}

async function groupsJson(tenant: string, docs: GroupDoc[], withMembers: boolean): Promise<ScimJson[]> {
  return Promise.all(docs.map(async (doc) => groupDocToScim(doc, withMembers ? await memberIdsOf(tenant, doc._id) : undefined)));
}

function readPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined), doc);
}
