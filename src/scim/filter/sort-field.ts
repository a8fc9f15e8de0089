import type { AttributeType, ResourceAttributes } from "./attribute-map";
import { FilterError } from "./filter-error";
import { resolveAttribute, resolveSubAttribute } from "./resolve-attribute";

/** The stored field a list sorts on and the SCIM type of its values. */
export interface SortKey {
  field: string;
  type: AttributeType;
}

/**
 * The MongoDB field to sort on for `sortBy` (RFC 7644 §3.4.2.3, paths as in §3.4.2.2): the
 * lowercase shadow key when there is one, so the order is case-insensitive and indexed.
 */
export function sortField(sortBy: string, attributes: ResourceAttributes): string {
  return sortKey(sortBy, attributes).field;
}

/** sortField with the attribute's type, which a cursor's position value must have (RFC 9865). */
export function sortKey(sortBy: string, attributes: ResourceAttributes): SortKey {
  const target = resolveAttribute(sortBy, attributes);
  if (target.kind === "singular") return { field: target.spec.shadow ?? target.spec.field, type: target.spec.type };
  if (target.multi.join) throw new FilterError(`cannot sort by "${sortBy}"`);
  // a multi-valued attribute sorts by its value sub-attribute (RFC 7644 §3.4.2.3)
  const spec = target.kind === "subAttribute" ? target.spec : resolveSubAttribute("value", target.name, target.multi);
  return { field: spec.shadow ?? `${target.multi.field}.${spec.field}`, type: spec.type };
}
