import SCIMMY from "scimmy";
import { RosterError } from "../domain/roster-error";
import { GROUP_SCHEMAS, USER_SCHEMAS, findScimSchema, type ResourceSchemas, type ScimAttribute } from "../domain/scim-attributes";
import { ROSTER_GROUP, ROSTER_USER, type ScimJson } from "../domain/types";
import type { ActionContext } from "../services/context";
import { createGroup, getGroup, removeGroup, replaceGroup } from "../services/group-service";
import type { GroupDoc, UserDoc } from "../store/documents";
import type { GroupAttributes } from "../store/group-store";
import { ConcurrentWrite, createUser, getUser, removeUser, replaceUser } from "../services/user-service";
import { groupsOfUsers, memberIdsOf } from "../store/membership-store";
import { groupDocToScim, scimToGroupFields } from "../services/group-resource";
import { applyGroupPatch } from "./group-patch";
import { toScimmyError } from "./scim-error";
import { userDocToScim } from "../services/user-resource";

const { Attribute, SchemaDefinition } = SCIMMY.Types;

// scimmy's typings want handlers to return its schema classes; Roster returns plain SCIM JSON, which scimmy accepts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** What Roster's scimmy handlers receive as their context argument. */
export interface ScimContext {
  action: ActionContext;
  /** a user PATCH: egress remembers the version the patch is computed from (each PATCH has its own context) */
  readVersion?: number;
  /** the user that version is of: the write does not read it again */
  readUser?: UserDoc;
  /** group PATCH of non-member attributes: neither read nor write the member list */
  skipMembers?: boolean;
  /** group PATCH: scimmy computes the after-image of the group's attributes; applyGroupPatch writes it */
  draft?: GroupDraft;
}

/** What a group PATCH's scimmy pass read and would write (see applyGroupPatch). */
export interface GroupDraft {
  read?: GroupDoc;
  attributes?: GroupAttributes;
}

/** scimmy's spelling of one attribute of the table (RFC 7643 §7). */
function scimmyAttribute(attribute: ScimAttribute): InstanceType<typeof Attribute> {
  const { mutability, returned } = attribute;
  const config = {
    multiValued: attribute.multiValued,
    caseExact: attribute.caseExact,
    mutable: mutability === "readWrite" ? true : mutability === "readOnly" ? false : mutability,
    returned: returned === "default" ? true : returned === "never" ? false : returned,
    description: attribute.description,
    ...(attribute.referenceTypes ? { referenceTypes: [...attribute.referenceTypes] } : {}),
  };
  return new Attribute(attribute.type, attribute.name, config as Loose, attribute.subAttributes?.map(scimmyAttribute));
}

/** A Roster extension schema declared from the attribute table. */
function extensionDefinition(schemas: ResourceSchemas, urn: string): InstanceType<typeof SchemaDefinition> {
  const schema = findScimSchema(schemas, urn)!;
  return new SchemaDefinition(schema.name, schema.id, schema.description, schema.attributes.map(scimmyAttribute));
}

/** `urn:ietf:params:scim:schemas:extension:roster:2.0:User` (SPEC §3). */
export const RosterUserSchema = extensionDefinition(USER_SCHEMAS, ROSTER_USER);

/** `urn:ietf:params:scim:schemas:extension:roster:2.0:Group` (SPEC §3). */
export const RosterGroupSchema = extensionDefinition(GROUP_SCHEMAS, ROSTER_GROUP);

/** scimmy converts unknown exceptions to 404; every handler error goes through here first. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConcurrentWrite) throw new RetryableWrite();
    throw toScimmyError(error);
  }
}

/** Raised through scimmy when a PATCH raced another write; the route retries it. */
export class RetryableWrite extends SCIMMY.Types.Error {
  constructor() {
    super(409, null as unknown as string, "The resource changed while this request was applied; retry");
  }
}

/** The user a user PATCH read, used once by its write. */
function takeReadUser(ctx: ScimContext): UserDoc | undefined {
  const doc = ctx.readUser;
  ctx.readVersion = undefined;
  ctx.readUser = undefined;
  return doc;
}

/** Plain JSON from a scimmy-parsed instance; its toJSON hides the write-only password. */
function plain(instance: unknown): ScimJson {
  const json = JSON.parse(JSON.stringify(instance)) as ScimJson;
  const password = (instance as { password?: unknown }).password;
  if (typeof password === "string") json.password = password;
  return json;
}

/** The resource a handler is called for: scimmy's resource instance, whose `id` is the path's. */
export interface TargetResource {
  id?: string;
}

/** POST and PUT of a user, and the write of a user PATCH (RFC 7644 §3.3, §3.5.1). */
export function userIngress(resource: TargetResource, instance: unknown, ctx: ScimContext): Promise<ScimJson> {
  return guarded(async () => {
    const read = takeReadUser(ctx);
    if (resource.id) {
      const doc = await replaceUser(ctx.action, resource.id, plain(instance), read);
      return userJson(doc.tenant, doc);
    }
    // a user created just now is in no group yet
    return userDocToScim(await createUser(ctx.action, plain(instance)), []);
  });
}

/** POST and PUT of a group, and scimmy's pass of a group PATCH (see applyGroupPatch). */
export function groupIngress(resource: TargetResource, instance: unknown, ctx: ScimContext): Promise<ScimJson> {
  return guarded(async () => {
    const json = plain(instance);
    if (ctx.draft?.read) {
      ctx.draft.attributes = scimToGroupFields(json);
      return groupDocToScim({ ...ctx.draft.read, ...ctx.draft.attributes });
    }
    const doc = resource.id ? await replaceGroup(ctx.action, resource.id, json, { withMembers: !ctx.skipMembers }) : await createGroup(ctx.action, json);
    return groupDocToScim(doc, ctx.skipMembers ? undefined : await memberIdsOf(doc.tenant, doc._id));
  });
}

/** Declares User (Enterprise + Roster extensions) and Group (Roster extension) once (SPEC §3). */
export function declareResources(): void {
  if (SCIMMY.Resources.declared(SCIMMY.Resources.User)) return;
  relaxCanonicalValues();
  const User = SCIMMY.Resources.User as Loose;
  const Group = SCIMMY.Resources.Group as Loose;
  SCIMMY.Resources.declare(
    User.extend(SCIMMY.Schemas.EnterpriseUser, false)
      .extend(RosterUserSchema, false)
      .ingress(userIngress)
      .egress((resource: Loose, ctx: ScimContext) =>
        guarded(async () => {
          if (!resource.id) throw RosterError.notImplemented("Searching through this endpoint is not supported; use GET with filter");
          const doc = await getUser(ctx.action.tenant, resource.id);
          ctx.readVersion = doc.version;
          ctx.readUser = doc;
          return userJson(ctx.action.tenant, doc);
        }),
      )
      .degress((resource: Loose, ctx: ScimContext) => guarded(() => removeUser(ctx.action, resource.id!))),
  );
  SCIMMY.Resources.declare(
    Group.extend(RosterGroupSchema, false)
      .ingress(groupIngress)
      .egress((resource: Loose, ctx: ScimContext) =>
        guarded(async () => {
          if (!resource.id) throw RosterError.notImplemented("Searching through this endpoint is not supported; use GET with filter");
          const doc = await getGroup(ctx.action.tenant, resource.id);
          if (ctx.draft) ctx.draft.read = doc;
          return groupDocToScim(doc, ctx.skipMembers ? undefined : await memberIdsOf(doc.tenant, doc._id));
        }),
      )
      .degress((resource: Loose, ctx: ScimContext) => guarded(() => removeGroup(ctx.action, resource.id!))),
  );
  givePatchesTheirOwnState();
}

/**
 * scimmy's /Bulk passes one context to every operation. A user PATCH gets a copy, so the version
 * its read remembered never reaches another operation (a failed PATCH of A made a later PUT of B
 * a 409). A group PATCH, in /Bulk too, goes through applyGroupPatch: member operations as deltas,
 * the whole PATCH as one write; its scimmy pass (with `draft`) is scimmy's own patch.
 */
function givePatchesTheirOwnState(): void {
  const userPrototype = (SCIMMY.Resources.User as Loose).prototype;
  const userPatch = userPrototype.patch;
  userPrototype.patch = function patchUser(this: Loose, message: unknown, ctx: ScimContext) {
    return userPatch.call(this, message, { ...ctx, readVersion: undefined, readUser: undefined });
  };
  const groupPrototype = (SCIMMY.Resources.Group as Loose).prototype;
  const groupPatch = groupPrototype.patch;
  groupPrototype.patch = function patchGroup(this: Loose, message: unknown, ctx: ScimContext) {
    if (ctx.draft) return groupPatch.call(this, message, ctx);
    return guarded(async () => groupDocToScim(await applyGroupPatch(this.id, message as ScimJson, { action: ctx.action })));
  };
}

/**
 * RFC 7643 §2.3.1 canonical values are suggestions ("MAY be used"); scimmy enforces
 * them, which refused every `roles.type` (its list is empty) and `"type":"Work"`.
 * Roster accepts any type label, as identity providers send their own.
 */
function relaxCanonicalValues(): void {
  const definition = (SCIMMY.Schemas.User as Loose).definition;
  for (const attribute of definition.attributes as Loose[]) {
    for (const sub of (attribute.subAttributes ?? []) as Loose[]) {
      if (sub.name === "type" && Array.isArray(sub.config.canonicalValues)) sub.config.canonicalValues = false;
    }
  }
}

/** The SCIM User with its read-only `groups` (RFC 7643 §4.1.2). */
export async function userJson(tenant: string, doc: Parameters<typeof userDocToScim>[0]): Promise<ScimJson> {
  return userDocToScim(doc, (await groupsOfUsers(tenant, [doc._id])).get(doc._id) ?? []);
}
