import SCIMMY from "scimmy";
import type { ScimJson } from "../domain/types";
import { getGroup } from "../services/group-service";
import { groupDocToScim } from "../services/group-resource";
import { userDocToScim } from "../services/user-resource";
import { getUser } from "../services/user-service";
import type { GroupDoc } from "../store/documents";
import { memberIdsOf } from "../store/membership-store";
import { groupIngress, guarded, userIngress, userJson, type ScimContext, type TargetResource } from "./declare-resources";
import { usersBaseOf, withMemberDetails } from "./member-details";
import { serializeResource } from "./serialize-resource";

/**
 * GET, POST and PUT of one User or Group without scimmy's resource classes around the handlers:
 * the same handler work and the same errors as scimmy's `read`/`write`, scimmy still parsing
 * what a client sends (`new Schema(body, "in")`), and the compiled serializer writing what
 * Roster answers instead of scimmy's coercion (serializeResource).
 */

/** GET /Users/:id, /Groups/:id (RFC 7644 §3.4.1), as scimmy's `read` with Roster's egress. */
export async function readResource(kind: "User" | "Group", tenant: string, id: string, options: { withMemberships: boolean; basepath: string }): Promise<ScimJson> {
  const json = await guarded(async () => {
    // withMemberships: a group's members, a user's groups
    if (kind === "User") return options.withMemberships ? userJson(tenant, await getUser(tenant, id)) : userDocToScim(await getUser(tenant, id));
    return groupJson(await getGroup(tenant, id), { withMembers: options.withMemberships, basepath: options.basepath });
  });
  return serializeResource(kind, json, options.basepath);
}

/** A group as written (a PATCH's result), served as GET would serve it. */
export async function servedGroup(doc: GroupDoc, options: { withMembers: boolean; basepath: string }): Promise<ScimJson> {
  return serializeResource("Group", await guarded(() => groupJson(doc, options)), options.basepath);
}

async function groupJson(doc: GroupDoc, options: { withMembers: boolean; basepath: string }): Promise<ScimJson> {
  if (!options.withMembers) return groupDocToScim(doc);
  const [group] = await withMemberDetails(doc.tenant, [groupDocToScim(doc, await memberIdsOf(doc.tenant, doc._id))], usersBaseOf(options.basepath));
  return group;
}

/** POST (no `resource.id`) and PUT (RFC 7644 §3.3, §3.5.1), as scimmy's `write` with Roster's ingress. */
export async function writeResource(kind: "User" | "Group", resource: TargetResource, body: unknown, ctx: ScimContext, basepath: string): Promise<ScimJson> {
  const method = resource.id ? "PUT" : "POST";
  if (body === undefined) throw new SCIMMY.Types.Error(400, "invalidSyntax", `Missing request body payload for ${method} operation`);
  if (Object(body) !== body || Array.isArray(body)) throw new SCIMMY.Types.Error(400, "invalidSyntax", `Operation ${method} expected request body payload to be single complex value`);
  let target: ScimJson;
  try {
    const Schema = (kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group) as unknown as new (...args: unknown[]) => ScimJson;
    target = await (kind === "User" ? userIngress : groupIngress)(resource, new Schema(body, "in"), ctx);
  } catch (error) {
    // scimmy's `write` turns what its handlers throw into SCIM errors so
    if (error instanceof SCIMMY.Types.Error) throw error;
    if (error instanceof TypeError) throw new SCIMMY.Types.Error(400, "invalidValue", error.message);
    throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${resource.id} not found`);
  }
  if (kind === "Group") [target] = await withMemberDetails(ctx.action.tenant, [target], usersBaseOf(basepath));
  return serializeResource(kind, target, basepath);
}
