import SCIMMY from "scimmy";
import { resourceSchemas, type ScimAttribute, type ScimSchema } from "../domain/scim-attributes";
import type { ResourceKind } from "./normalize-request";

/** A JSON Schema (2020-12) object, as OpenAPI 3.1 embeds them. */
export type JsonSchema = Record<string, unknown>;

/** RFC 7643 §2.3 data types as JSON Schema types. */
const TYPES: Record<ScimAttribute["type"], JsonSchema> = {
  string: { type: "string" },
  boolean: { type: "boolean" },
  dateTime: { type: "string", format: "date-time" },
  reference: { type: "string" },
  binary: { type: "string", contentEncoding: "base64" },
  decimal: { type: "number" },
  integer: { type: "integer" },
  complex: { type: "object" },
};

function attributeSchema(attribute: ScimAttribute): JsonSchema {
  const single: JsonSchema = { ...TYPES[attribute.type], ...(attribute.referenceTypes?.includes("external") ? { format: "uri" } : {}) };
  if (attribute.subAttributes) single.properties = properties(attribute.subAttributes);
  const schema: JsonSchema = attribute.multiValued ? { type: "array", items: single } : single;
  schema.description = attribute.description;
  if (attribute.mutability === "readOnly") schema.readOnly = true;
  if (attribute.mutability === "writeOnly" || attribute.returned === "never") schema.writeOnly = true;
  return schema;
}

function properties(attributes: readonly ScimAttribute[]): Record<string, JsonSchema> {
  return Object.fromEntries(attributes.map((attribute) => [attribute.name, attributeSchema(attribute)]));
}

function extensionSchema(extension: ScimSchema): JsonSchema {
  return { type: "object", description: extension.description, properties: properties(extension.attributes) };
}

/**
 * The JSON Schema of a User or Group as Roster writes and reads it, derived from the one
 * attribute table (src/domain/scim-attributes.ts): core attributes at the top, each
 * extension under its URN (RFC 7643 §3). Attribute names are case-insensitive in SCIM
 * (RFC 7643 §2.1) and unknown keys are Roster's to refuse or ignore, so the schema is open.
 */
export function resourceJsonSchema(kind: ResourceKind): JsonSchema {
  const { core, extensions } = resourceSchemas(kind);
  return {
    type: "object",
    required: requiredNames(kind).filter((name) => findMutability(kind, name) !== "readOnly"),
    description: core.description,
    properties: {
      schemas: { type: "array", items: { type: "string" }, description: "The URNs of the schemas the resource carries" },
      ...properties(core.attributes),
      ...Object.fromEntries(extensions.map((extension) => [extension.id, extensionSchema(extension)])),
    },
  };
}

/** The core attributes scimmy's schema definition (which /Schemas advertises) marks required: userName, displayName, id, meta. */
function requiredNames(kind: ResourceKind): string[] {
  const definition = (kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group).definition as unknown as { attributes: Array<{ name: string; config?: { required?: boolean } }> };
  return definition.attributes.filter((attribute) => attribute.config?.required).map((attribute) => attribute.name);
}

function findMutability(kind: ResourceKind, name: string): string | undefined {
  return resourceSchemas(kind).core.attributes.find((attribute) => attribute.name === name)?.mutability;
}

/** What a read answers: whatever `attributes` asks for, the `returned: always` attributes are there (RFC 7644 §3.9). */
export function storedResourceJsonSchema(kind: ResourceKind): JsonSchema {
  const always = resourceSchemas(kind).core.attributes.filter((attribute) => attribute.returned === "always").map((attribute) => attribute.name);
  return { ...resourceJsonSchema(kind), required: ["schemas", ...always] };
}
