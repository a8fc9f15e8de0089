import type { AttributeSpec, MultiValuedSpec, ResourceAttributes, SchemaAttributes } from "./attribute-map";
import { FilterError } from "./filter-error";

/** What an attribute path names: a singular attribute, a whole multi-valued one, or one of its sub-attributes. */
export type ResolvedAttribute =
  | { kind: "singular"; spec: AttributeSpec }
  | { kind: "multiValued"; name: string; multi: MultiValuedSpec }
  | { kind: "subAttribute"; name: string; multi: MultiValuedSpec; spec: AttributeSpec };

/**
 * Resolves an attribute path case-insensitively, with or without the URN of the core schema or
 * of an extension (RFC 7644 §3.4.2.2, §3.10); without one, the core schema wins, then any extension.
 */
export function resolveAttribute(path: string, attributes: ResourceAttributes): ResolvedAttribute {
  const lower = path.toLowerCase();
  const urn = Object.keys(attributes.schemas).find((candidate) => lower.startsWith(`${candidate.toLowerCase()}:`));
  const name = urn ? path.slice(urn.length + 1) : path;
  const order = urn ? [urn] : [attributes.coreSchema, ...Object.keys(attributes.schemas).filter((key) => key !== attributes.coreSchema)];
  for (const schemaUrn of order) {
    const found = resolveInSchema(name, attributes.schemas[schemaUrn]);
    if (found) return found;
  }
  throw new FilterError(`unknown attribute "${path}"`);
}

/** Resolves a sub-attribute of a multi-valued attribute, e.g. `type` inside `emails[…]` (RFC 7644 §3.4.2.2). */
export function resolveSubAttribute(subName: string, multiName: string, multi: MultiValuedSpec): AttributeSpec {
  const spec = lookup(multi.subAttributes, subName);
  if (!spec) throw new FilterError(`unknown attribute "${multiName}.${subName}"`);
  return spec;
}

function resolveInSchema(name: string, schema: SchemaAttributes): ResolvedAttribute | undefined {
  const singular = lookup(schema.attributes, name);
  if (singular) return { kind: "singular", spec: singular };
  const [head, sub, ...rest] = name.split(".");
  const multiName = Object.keys(schema.multiValued).find((key) => key.toLowerCase() === head.toLowerCase());
  if (!multiName || rest.length) return undefined;
  const multi = schema.multiValued[multiName];
  if (sub === undefined) return { kind: "multiValued", name: multiName, multi };
  const spec = lookup(multi.subAttributes, sub);
  return spec && { kind: "subAttribute", name: multiName, multi, spec };
}

/** Own keys only, so `constructor` or `__proto__` never resolve to something. */
function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}
