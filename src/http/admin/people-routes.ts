import express, { type Router } from "express";
import { listResources, type ListQuery } from "../../scim/list-resources";
import { readPerson } from "../../scim/person-view";
import { handleAsync } from "../handle-async";
import { origin } from "../request-origin";

const LIST_PARAMETERS = ["filter", "count", "cursor", "sortBy", "sortOrder", "attributes", "excludedAttributes"] as const;

/**
 * GET /tenants/{t}/users and /tenants/{t}/users/{id}: the tenant's people for an administrator
 * (the console), through the same list and read code as /scim/v2/Users, so a filter or a cursor
 * means here exactly what it means there. Always cursor-paged (RFC 9865): a first page needs no cursor.
 */
export function peopleRoutes(): Router {
  const router = express.Router({ mergeParams: true });
  router.get("/users", handleAsync(async function listPeopleRoute(req, res) {
    const query: ListQuery = { cursor: "" };
    for (const name of LIST_PARAMETERS) if (req.query[name] !== undefined) (query as Record<string, unknown>)[name] = req.query[name];
    res.json(await listResources("User", req.params.tenant, query, `${origin(req)}/scim/v2/Users`));
  }));
  router.get("/users/:id", handleAsync(async function readPersonRoute(req, res) {
    res.json(await readPerson(req.params.tenant, req.params.id, `${origin(req)}/scim/v2/Users`));
  }));
  return router;
}
