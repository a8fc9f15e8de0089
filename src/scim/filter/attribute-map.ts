import { GROUP_SCHEMAS, USER_SCHEMAS, type ResourceSchemas, type ScimAttribute, type ScimSchema } from "../../domain/scim-attributes";

export type AttributeType = "string" | "boolean" | "dateTime" | "number";

/** How one filterable SCIM attribute is stored (see store/documents.ts). */
export interface AttributeSpec {
  /** MongoDB field; for a sub-attribute of a multi-valued attribute, relative to one element */
  readonly field: string;
  readonly type: AttributeType;
  /** RFC 7643 §2.2 */
  readonly caseExact: boolean;
  /** document-level field holding lower(value) under an index (multikey for a multi-valued attribute) */
  readonly shadow?: string;
}

/** A multi-valued complex attribute, stored as an array of element documents. */
export interface MultiValuedSpec {
  readonly field: string;
  /** keyed by sub-attribute name; each field is relative to the element */
  readonly subAttributes: Readonly<Record<string, AttributeSpec>>;
  /** kept in another collection: only `value eq` is filterable, through this resolver */
  readonly join?: "groupIdsWithMember";
}

export interface SchemaAttributes {
  /** singular attributes keyed by path, sub-attributes dotted (`name.givenName`) */
  readonly attributes: Readonly<Record<string, AttributeSpec>>;
  readonly multiValued: Readonly<Record<string, MultiValuedSpec>>;
}

/** The filterable attributes of one resource type, by schema URN. */
export interface ResourceAttributes {
  readonly coreSchema: string;
  readonly schemas: Readonly<Record<string, SchemaAttributes>>;
}

/** The filter type of a SCIM type: references and binaries compare as strings. */
function filterType(attribute: ScimAttribute): AttributeType {
  switch (attribute.type) {
    case "boolean":
      return "boolean";
    case "dateTime":
      return "dateTime";
    case "decimal":
    case "integer":
      return "number";
    case "string":
    case "reference":
    case "binary":
    case "complex":
      return "string";
    default: {
      const never: never = attribute.type;
      throw new TypeError(`Unknown SCIM type ${String(never)}`);
    }
  }
}

function spec(attribute: ScimAttribute, field: string): AttributeSpec {
  const base = { field, type: filterType(attribute), caseExact: attribute.caseExact || Boolean(attribute.holdsId) };
  return attribute.shadow ? { ...base, shadow: attribute.shadow } : base;
}

/** Filterable: stored in the document (or, for members, through a resolver) and ever returned. */
function schemaAttributes(schema: ScimSchema): SchemaAttributes {
  const attributes: Record<string, AttributeSpec> = {};
  const multiValued: Record<string, MultiValuedSpec> = {};
  for (const attribute of schema.attributes) {
    if (attribute.returned === "never") continue;
    if (attribute.multiValued && attribute.field && attribute.subAttributes) {
      const subAttributes: Record<string, AttributeSpec> = {};
      for (const sub of attribute.subAttributes) if (sub.field) subAttributes[sub.name] = spec(sub, sub.field);
      multiValued[attribute.name] = attribute.storedApart ? { field: attribute.field, join: "groupIdsWithMember", subAttributes } : { field: attribute.field, subAttributes };
    } else if (attribute.subAttributes) {
      for (const sub of attribute.subAttributes) if (sub.field) attributes[`${attribute.name}.${sub.name}`] = spec(sub, sub.field);
    } else if (attribute.field) {
      attributes[attribute.name] = spec(attribute, attribute.field);
    }
  }
  return { attributes, multiValued };
}

function resourceAttributes(schemas: ResourceSchemas): ResourceAttributes {
  const bySchema: Record<string, SchemaAttributes> = {};
  for (const schema of [schemas.core, ...schemas.extensions]) bySchema[schema.id] = schemaAttributes(schema);
  return { coreSchema: schemas.core.id, schemas: bySchema };
}

/** Filterable User attributes (RFC 7643 §4.1, §4.3 and the Roster extension), derived from the attribute table. */
export const USER_ATTRIBUTES: ResourceAttributes = resourceAttributes(USER_SCHEMAS);

/** Filterable Group attributes (RFC 7643 §4.2 and the Roster extension), derived from the attribute table. */
export const GROUP_ATTRIBUTES: ResourceAttributes = resourceAttributes(GROUP_SCHEMAS);
