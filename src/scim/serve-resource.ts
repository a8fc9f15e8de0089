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

/**
 * PATCH of one user (RFC 7644 §3.5.2): scimmy's `patch` (its PatchOp applies the operations, its
 * `"in"` coercion checks the after-image) with Roster's egress and ingress, without the two
 * `"out"` coercions scimmy adds around the write and the result (~1.4 ms each): the answer is
 * the compiled serializer's, of the user as written, or as read when nothing changed.
 */
export async function patchUserResource(resource: TargetResource & { id: string }, message: unknown, ctx: ScimContext, basepath: string): Promise<ScimJson> {
  if (message === undefined) throw new SCIMMY.Types.Error(400, "invalidSyntax", "Missing message body from PatchOp request");
  if (Object(message) !== message || Array.isArray(message)) throw new SCIMMY.Types.Error(400, "invalidSyntax", "PatchOp request expected message body to be single complex value");
  const patch = new SCIMMY.Messages.PatchOp(message as never);
  const User = SCIMMY.Schemas.User as unknown as new (...args: unknown[]) => ScimJson;
  const tenant = ctx.action.tenant;
  let read: ScimJson;
  let source: ScimJson;
  const active = activeReplacement(message as ScimJson);
  try {
    read = await guarded(async () => {
      const doc = await getUser(tenant, resource.id);
      // the write is a compare-and-set on this version and does not read the user again
      ctx.readVersion = doc.version;
      ctx.readUser = doc;
      return userJson(tenant, doc);
    });
    if (active !== undefined) return await setActive(resource, read, active, ctx, basepath);
    source = new User(read, "out", (SCIMMY.Resources.User as unknown as { basepath(): string }).basepath());
  } catch (error) {
    throw asScimmyError(error, resource.id);
  }
  let written: ScimJson | undefined;
  const changed = await patch.apply(source as never, async (instance: unknown) => {
    try {
      written = await userIngress(resource, new User(instance, "in"), ctx);
      return written;
    } catch (error) {
      throw asScimmyError(error, resource.id);
    }
  });
  return serializeResource("User", changed && written ? written : read, basepath);
}

/** What scimmy's `read` and `write` make of a handler's error. */
function asScimmyError(error: unknown, id: string): Error {
  if (error instanceof SCIMMY.Types.Error) return error;
  if (error instanceof TypeError) return new SCIMMY.Types.Error(400, "invalidValue", error.message);
  return new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
}

/**
 * `active` when every operation of the PATCH is `replace` of path `active` with a boolean, the
 * deactivation (and reactivation) Entra and Okta send; undefined for anything else, which scimmy applies.
 */
function activeReplacement(message: ScimJson): boolean | undefined {
  const operations = message.Operations;
  if (!Array.isArray(operations) || !operations.length) return undefined;
  let active: boolean | undefined;
  for (const operation of operations as unknown[]) {
    if (typeof operation !== "object" || operation === null) return undefined;
    const { op, path, value, ...rest } = operation as Record<string, unknown>;
    if (Object.keys(rest).length || typeof op !== "string" || op.toLowerCase() !== "replace" || path !== "active" || typeof value !== "boolean") return undefined;
    active = value;
  }
  return active;
}

/**
 * What scimmy's PatchOp makes of `replace active`, without its three coercions of the whole user
 * (~4 ms): the user as read with `active` set goes to the same ingress (which writes only
 * writable attributes, scimToUserFields), and nothing is written when `active` is unchanged.
 */
async function setActive(resource: TargetResource & { id: string }, read: ScimJson, active: boolean, ctx: ScimContext, basepath: string): Promise<ScimJson> {
  if (read.active === active) return serializeResource("User", read, basepath);
  return serializeResource("User", await userIngress(resource, { ...read, active }, ctx), basepath);
}
