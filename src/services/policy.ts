import { USER_SCHEMAS, findScimAttribute, splitSchemaPath } from "../domain/scim-attributes";
import { DEFAULT_POLICY, ENTERPRISE_USER, ROSTER_USER, type Policy } from "../domain/types";
import { setPolicy } from "../store/tenant-store";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext } from "./context";
import { loadTenantSettings } from "./tenant-policy";
import { invalidPayload, validatePayload, type PayloadError } from "./validate-payload";

/** The stored policy with defaults filled in (SPEC §6 GET /policy). */
export async function getPolicy(tenant: string): Promise<Policy> {
  return (await loadTenantSettings(tenant)).policy;
}

/**
 * SPEC §6 PUT /policy: replaces the whole policy (omitted fields take their
 * defaults), audited as `policy.update` with only the changed fields.
 */
export async function replacePolicy(ctx: ActionContext, payload: unknown): Promise<Policy> {
  const policy = parsePolicy(payload);
  const { policy: current } = await loadTenantSettings(ctx.tenant);
  await setPolicy(ctx.tenant, policy);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_POLICY) as Array<keyof Policy>) {
    if (JSON.stringify(current[key]) === JSON.stringify(policy[key])) continue;
    before[key] = current[key];
    after[key] = policy[key];
  }
  if (Object.keys(after).length) {
    await recordAudit(ctx, "policy.update", ctx.tenant, { before, after }, getRuntime().now());
  }
  return policy;
}

/** A policy from a payload: schema first (schemas/policy.schema.json), then every required path must name a User attribute. */
export function parsePolicy(payload: unknown): Policy {
  const parsed = validatePayload<Partial<Policy>>("policy", payload);
  const policy: Policy = { ...DEFAULT_POLICY, ...parsed, requiredProfileFields: [...(parsed.requiredProfileFields ?? DEFAULT_POLICY.requiredProfileFields)] };
  const errors: PayloadError[] = [];
  policy.requiredProfileFields.forEach((path, index) => {
    const problem = profilePathProblem(path);
    if (problem) errors.push({ path: `/requiredProfileFields/${index}`, message: problem });
  });
  if (errors.length) throw invalidPayload(errors);
  return policy;
}

/**
 * Why a required profile path can never be satisfied, or null when it names
 * an attribute a provisioned User can carry (the attribute table). A typo here
 * would otherwise make every deactivation of the tenant fail (SPEC §4 Deactivate 1).
 */
export function profilePathProblem(path: string): string | null {
  const split = splitSchemaPath(USER_SCHEMAS, path.trim());
  if (!split) return `names an unknown schema; use core paths such as name.givenName, or ${ENTERPRISE_USER}:<attribute>, or ${ROSTER_USER}:<attribute>`;
  const [name, subName, ...more] = split.rest.split(".");
  const attribute = findScimAttribute(split.schema.attributes, name);
  const target = subName === undefined ? attribute : findScimAttribute(attribute?.subAttributes, subName);
  if (!attribute || !target || more.length) return `is not an attribute of the SCIM User (${split.schema.id})`;
  if ([attribute, target].some((candidate) => candidate.mutability === "readOnly" || candidate.mutability === "writeOnly" || candidate.returned === "never")) {
    return "is not a provisioned profile attribute (read-only or never returned), so no user could ever have it";
  }
  return null;
}
