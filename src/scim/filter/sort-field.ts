import type { ResourceAttributes } from "./attribute-map";
import { FilterError } from "./filter-error";
import { resolveAttribute, resolveSubAttribute } from "./resolve-attribute";

/**
 * The MongoDB field to sort on for `sortBy` (RFC 7644 §3.4.2.3, paths as in §3.4.2.2): the
 * lowercase shadow key when there is one, so the order is case-insensitive and indexed.
 */
export function sortField(sortBy: string, attributes: ResourceAttributes): string {
  const target = resolveAttribute(sortBy, attributes);
  if (target.kind === "singular") return target.spec.shadow ?? target.spec.field;
  if (target.multi.join) throw new FilterError(`cannot sort by "${sortBy}"`);
  // a multi-valued attribute sorts by its value sub-attribute (RFC 7644 §3.4.2.3)
  const spec = target.kind === "subAttribute" ? target.spec : resolveSubAttribute("value", target.name, target.multi);
  return spec.shadow ?? `${target.multi.field}.${spec.field}`;
}
