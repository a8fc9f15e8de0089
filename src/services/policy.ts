import SCIMMY from "scimmy";
import { CORE_USER } from "../domain/scim-path";
import { DEFAULT_POLICY, ENTERPRISE_USER, ROSTER_USER, type Policy } from "../domain/types";
import { setPolicy } from "../store/tenant-store";
import { RosterUserSchema } from "../scim/declare-resources";
import { recordAudit } from "./record-audit";
import { getRuntime, type ActionContext } from "./context";
import { loadTenantSettings } from "./tenant-policy";
import { invalidPayload, validatePayload, type PayloadError } from "./validate-payload";

interface AttributeLike {
  name: string;
  /** scimmy's spelling: `mutable: false` is readOnly, `returned: false` is never, `direction: "in"` is writeOnly */
  config: { mutable?: string | boolean; returned?: string | boolean; direction?: string };
}
interface DefinitionLike {
  id: string;
  attribute(path: string): unknown;
}

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
 * an attribute a provisioned User can carry. A typo here would otherwise make
 * every deactivation of the tenant fail (SPEC §4 Deactivate 1).
 */
export function profilePathProblem(path: string): string | null {
  const schemas: Array<{ urn: string; definition: DefinitionLike }> = [
    { urn: CORE_USER, definition: SCIMMY.Schemas.User.definition as unknown as DefinitionLike },
    { urn: ENTERPRISE_USER, definition: SCIMMY.Schemas.EnterpriseUser.definition as unknown as DefinitionLike },
    { urn: ROSTER_USER, definition: RosterUserSchema as unknown as DefinitionLike },
  ];
  let { definition } = schemas[0];
  let attributePath = path;
  if (/^urn:/i.test(path)) {
    const named = schemas.find(({ urn }) => path.toLowerCase().startsWith(`${urn.toLowerCase()}:`));
    if (!named) return `names an unknown schema; use core paths such as name.givenName, or ${ENTERPRISE_USER}:<attribute>, or ${ROSTER_USER}:<attribute>`;
    definition = named.definition;
    attributePath = path.slice(named.urn.length + 1);
  }
  let attribute: AttributeLike;
  try {
    attribute = definition.attribute(attributePath) as AttributeLike;
  } catch {
    return `is not an attribute of the SCIM User (${definition.id})`;
  }
  if (!attribute || typeof attribute.config !== "object" || typeof attribute.name !== "string") return `is not an attribute of the SCIM User (${definition.id})`;
  const { mutable, returned, direction } = attribute.config;
  if (mutable === false || mutable === "readOnly" || returned === false || returned === "never" || direction === "in") {
    return "is not a provisioned profile attribute (read-only or never returned), so no user could ever have it";
  }
  return null;
}
