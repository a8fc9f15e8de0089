import { getPolicy } from "../services/policy";
import { settleUnknownAttributes, type Inspected, type ResourceKind, type UnknownAttributes } from "./normalize-request";

/** The tenant's `unknownAttributes` policy (default `ignore`, README decisions). */
export async function unknownAttributesRule(tenant: string): Promise<UnknownAttributes> {
  return (await getPolicy(tenant)).unknownAttributes;
}

/**
 * A normalized body under the tenant's rule for unknown names: the policy is read only when the
 * body has some. Returns the paths it ignored (none under `reject`, which refuses them).
 */
export async function settleForTenant(tenant: string, kind: ResourceKind, inspected: Inspected): Promise<{ value: Inspected["value"]; ignored: string[] }> {
  if (!inspected.unknownPaths.length) return { value: inspected.value, ignored: [] };
  return { value: inspected.value, ignored: settleUnknownAttributes(inspected.unknownPaths, kind, await unknownAttributesRule(tenant)) };
}
