import SCIMMY from "scimmy";
import { RosterError } from "../domain/roster-error";
import type { ScimJson } from "../domain/types";
import { writeGroup, type MemberChange } from "../services/group-service";
import { ConcurrentWrite } from "../services/user-service";
import type { GroupDoc } from "../store/documents";
import type { GroupDraft, ScimContext } from "./declare-resources";
import { FilterError, parseFilter, type FilterNode } from "./filter";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/**
 * PATCH /Groups/:id, alone or in /Bulk, without reading or rewriting the member list (SPEC §3):
 * member operations become per-member changes; the others go through scimmy on the group
 * without its members, as an after-image that is not written by scimmy. Both are then one
 * write, all-or-nothing (writeGroup). Returns the group as written.
 */
export async function applyGroupPatch(id: string, message: ScimJson, ctx: ScimContext): Promise<GroupDoc> {
  const { memberChanges, otherOperations } = splitGroupOperations(message.Operations as ScimJson[]);
  const draft = otherOperations.length ? () => draftAttributes(id, otherOperations, ctx) : undefined;
  try {
    return await writeGroup(ctx.action, id, { draft, memberChanges });
  } catch (error) {
    if (error instanceof ConcurrentWrite) throw RosterError.conflict("The group changed while this request was applied; retry");
    throw error;
  }
}

/** The group's own attributes after `operations`, computed by scimmy from a fresh read (RFC 7644 §3.5.2). */
async function draftAttributes(id: string, operations: ScimJson[], ctx: ScimContext) {
  const draft: GroupDraft = {};
  const context: ScimContext = { action: ctx.action, skipMembers: true, draft };
  await new SCIMMY.Resources.Group(id).patch({ schemas: [PATCH_OP], Operations: operations } as never, context as never);
  return { attributes: draft.attributes, readVersion: draft.read?.version };
}

/** Separates member operations (every shape Okta and Entra send, IDP-TRAFFIC.md) from the others. */
export function splitGroupOperations(operations: ScimJson[]): { memberChanges: MemberChange[]; otherOperations: ScimJson[] } {
  const memberChanges: MemberChange[] = [];
  const otherOperations: ScimJson[] = [];
  for (const operation of operations) {
    const op = operation.op as "add" | "remove" | "replace";
    const path = operation.path as string | undefined;
    if (path === undefined) {
      const value = operation.value as ScimJson;
      const membersKey = Object.keys(value).find((key) => key.toLowerCase() === "members");
      if (membersKey) {
        const ids = memberIds(value[membersKey]);
        memberChanges.push(op === "replace" ? { kind: "replace", userIds: ids } : { kind: "add", userIds: ids });
        const { [membersKey]: _members, ...rest } = value;
        if (Object.keys(rest).length) otherOperations.push({ op, value: rest });
      } else {
        otherOperations.push(operation);
      }
      continue;
    }
    const lower = path.toLowerCase();
    if (lower === "members") {
      if (op === "add") memberChanges.push({ kind: "add", userIds: memberIds(operation.value) });
      else if (op === "replace") memberChanges.push({ kind: "replace", userIds: memberIds(operation.value) });
      // Entra removes exactly the members listed in `value`; only a bare remove empties the group
      else if (operation.value !== undefined) memberChanges.push({ kind: "remove", userIds: memberIds(operation.value) });
      else memberChanges.push({ kind: "removeAll" });
    } else if (lower.startsWith("members[")) {
      const match = /^members\[(.*)\]$/is.exec(path);
      if (!match || op !== "remove") throw RosterError.badRequest("invalidPath", `Unsupported member path '${path}': use remove with members[value eq "<id>"]`);
      memberChanges.push({ kind: "remove", userIds: idsInMemberFilter(match[1]) });
    } else if (lower.startsWith("members.")) {
      throw RosterError.badRequest("invalidPath", `Unsupported member path '${path}'`);
    } else {
      otherOperations.push(operation);
    }
  }
  return { memberChanges, otherOperations };
}

function memberIds(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map((item, index) => {
    const id = typeof item === "string" ? item : (item as ScimJson | null)?.value;
    if (typeof id !== "string" || !id) throw RosterError.invalidValue(`members[${index}] needs a string 'value' (a user id)`);
    return id;
  });
}

function idsInMemberFilter(text: string): string[] {
  let node: FilterNode;
  try {
    node = parseFilter(text);
  } catch (error) {
    if (error instanceof FilterError) throw RosterError.invalidFilter(error.message);
    throw error;
  }
  const ids: string[] = [];
  const visit = (inner: FilterNode): void => {
    if (inner.kind === "or") return inner.filters.forEach(visit);
    if (inner.kind === "compare" && inner.attrPath.toLowerCase() === "value" && inner.op === "eq" && typeof inner.value === "string") {
      ids.push(inner.value);
      return;
    }
    throw RosterError.invalidFilter('Member filters may only compare value with eq (members[value eq "<id>"])');
  };
  visit(node);
  return ids;
}
