// A SCIM server built the way the scimmy-routers README suggests (express + SCIMMYRouters, resources
// declared to SCIMMY with an in-memory handler), the second peer of `npm run bench -- --peers`.
// The bench copies this file into the peer's cache directory and runs it there, so `scimmy`,
// `scimmy-routers` and `express` resolve from that install and not from Roster's node_modules.
// Env: PORT, PEER_TOKEN (the one bearer token accepted).
import { randomUUID } from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const token = process.env.PEER_TOKEN;
const users = new Map();
const userNames = new Map();
const groups = new Map();
const plain = (instance) => JSON.parse(JSON.stringify(instance));

function store(map, resource, instance, unique) {
  const now = new Date().toISOString();
  const id = resource.id ?? randomUUID();
  const previous = resource.id ? map.get(id) : undefined;
  if (resource.id && !previous) throw new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
  const data = plain(instance);
  if (unique) {
    const key = data.userName.toLowerCase();
    const holder = userNames.get(key);
    if (holder !== undefined && holder !== id) throw new SCIMMY.Types.Error(409, "uniqueness", `userName ${data.userName} is taken`);
    if (previous) userNames.delete(previous.userName.toLowerCase());
    userNames.set(key, id);
  }
  const stored = { ...data, id, meta: { created: previous?.meta.created ?? now, lastModified: now } };
  map.set(id, stored);
  return stored;
}

// Filters are matched by SCIMMY (Filter.match) over every stored resource, as its docs show; a list
// without a filter is paged here from resource.constraints, so a page does not coerce the whole tenant.
function read(map, resource) {
  if (resource.id) {
    const found = map.get(resource.id);
    if (!found) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
    return found;
  }
  const all = [...map.values()];
  if (resource.filter) return resource.filter.match(all);
  const { startIndex = 1, count = 20 } = resource.constraints ?? {};
  resource.constraints = { ...resource.constraints, totalResults: all.length };
  return all.slice(startIndex - 1, startIndex - 1 + count);
}

function remove(map, resource) {
  const found = map.get(resource.id);
  if (!found) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
  if (found.userName) userNames.delete(found.userName.toLowerCase());
  map.delete(resource.id);
}

SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
  .ingress((resource, instance) => store(users, resource, instance, true))
  .egress((resource) => read(users, resource))
  .degress((resource) => remove(users, resource));
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, instance) => store(groups, resource, instance, false))
  .egress((resource) => read(groups, resource))
  .degress((resource) => remove(groups, resource));

const app = express();
app.use(
  "/scim/v2",
  new SCIMMYRouters({
    type: "bearer",
    docUri: "https://example.com/help/oauth.html",
    handler: (request) => {
      if (request.header("Authorization") !== `Bearer ${token}`) throw new Error("Authorization not detected!");
      return "bench";
    },
  }),
);
const server = app.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write(`listening on ${server.address().port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
