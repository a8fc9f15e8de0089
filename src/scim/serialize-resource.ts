import SCIMMY from "scimmy";
import { resourceSchemas, type ResourceSchemas, type ScimAttribute } from "../domain/scim-attributes";
import type { ScimJson } from "../domain/types";
import { declareResources } from "./declare-resources";

/**
 * What `new SCIMMY.Schemas.User(resource, "out", basepath)` makes of a resource as Roster builds
 * it (RFC 7643 §2, §7), compiled once from the attribute table: every attribute in the order of
 * the definition, strings cast, dateTimes as ISO strings, write-only attributes dropped, unknown
 * keys dropped, `meta.location` under `basepath`. scimmy's coercion builds a proxied instance per
 * attribute, ~1 ms per user; this is the same output for a few µs. A value scimmy would refuse or
 * treat specially (a reference of the wrong kind, a non-canonical value, an empty extension) is
 * left to scimmy itself, so its output and its errors stay exactly scimmy's.
 */
export function serializeResource(kind: "User" | "Group", resource: ScimJson, basepath: string): ScimJson {
  const out = serializeWithoutScimmy(kind, resource, basepath);
  if (out) return out;
  const Schema = (kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group) as unknown as new (...args: unknown[]) => ScimJson;
  return JSON.parse(JSON.stringify(new Schema(resource, "out", basepath))) as ScimJson;
}

/** The compiled path alone: undefined where it leaves the resource to scimmy. */
export function serializeWithoutScimmy(kind: "User" | "Group", resource: ScimJson, basepath: string): ScimJson | undefined {
  const out = compiled(kind)(resource, basepath);
  return out === REFUSED ? undefined : out;
}

/** The fast path gives up: scimmy decides. */
const REFUSED = Symbol("refused");
type Refused = typeof REFUSED;
type Writer = (value: unknown) => unknown;

const serializers = new Map<string, (resource: ScimJson, basepath: string) => ScimJson | Refused>();

function compiled(kind: "User" | "Group"): (resource: ScimJson, basepath: string) => ScimJson | Refused {
  let serializer = serializers.get(kind);
  if (!serializer) {
    // the extensions and Roster's relaxed canonical values are part of the definitions read here
    declareResources();
    serializer = compile(resourceSchemas(kind), kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group);
    serializers.set(kind, serializer);
  }
  return serializer;
}

/** scimmy's own configuration of one attribute: canonical values and required are not in the table. */
interface ScimmyConfig {
  canonicalValues?: unknown;
  required?: boolean;
  direction?: string;
  returned?: unknown;
}

interface ScimmyDefinition {
  attribute(name: string): { config: ScimmyConfig } | undefined;
}

function compile(schemas: ResourceSchemas, schema: unknown): (resource: ScimJson, basepath: string) => ScimJson | Refused {
  const definition = (schema as { definition: ScimmyDefinition }).definition;
  const configOf = (path: string): ScimmyConfig => {
    try {
      return definition.attribute(path)?.config ?? {};
    } catch {
      return {};
    }
  };
  const core = schemas.core.attributes
    .filter((attribute) => attribute.name !== "meta" && attribute.name !== "id")
    .map((attribute) => ({ name: attribute.name, write: writer(attribute, attribute.name, configOf) }));
  const extensions = schemas.extensions.map((extension) => ({
    id: extension.id,
    attributes: extension.attributes.map((attribute) => ({ name: attribute.name, write: writer(attribute, `${extension.id}:${attribute.name}`, configOf) })),
  }));
  const known = new Set(["schemas", "id", "meta", ...core.map((attribute) => attribute.name), ...extensions.map((extension) => extension.id)]);
  const resourceType = schemas.resourceType;
  const coreId = schemas.core.id;

  return function serialize(resource, basepath) {
    const meta = resource.meta;
    if (!isObject(meta) || typeof resource.id !== "string" || !resource.id) return REFUSED;
    // scimmy reads keys case-insensitively and drops unknown ones; Roster writes the table's spelling
    for (const key of Object.keys(resource)) if (!known.has(key)) return REFUSED;
    const schemaIds = resource.schemas;
    if (!Array.isArray(schemaIds) || schemaIds[0] !== coreId) return REFUSED;

    const out: ScimJson = { schemas: undefined, id: resource.id };
    const externalId = resource.externalId;
    if (externalId !== undefined && externalId !== null) {
      if (typeof externalId !== "string") return REFUSED;
      out.externalId = externalId;
    }
    const written = writeMeta(meta, resourceType, `${basepath}/${resource.id}`);
    if (written === REFUSED) return REFUSED;
    out.meta = written;
    for (const { name, write } of core) {
      if (name === "externalId") continue;
      const value = write(resource[name]);
      if (value === REFUSED) return REFUSED;
      if (value !== undefined) out[name] = value;
    }
    const present = [coreId];
    for (const extension of extensions) {
      const source = resource[extension.id];
      if (source === undefined || source === null) continue;
      if (!isObject(source)) return REFUSED;
      const target: ScimJson = {};
      let values = 0;
      for (const { name, write } of extension.attributes) {
        const value = write(source[name]);
        if (value === REFUSED) return REFUSED;
        // scimmy deletes an extension's complex attribute that holds no value
        if (hasActualValue(value)) {
          target[name] = value;
          values++;
        }
      }
      // scimmy drops an extension without values and its URN from `schemas`: its rules, not ours
      if (!values) return REFUSED;
      out[extension.id] = target;
      present.push(extension.id);
    }
    // scimmy lists the core schema, the extensions that have values, then whatever else `schemas` named
    if (schemaIds.length !== present.length || schemaIds.some((id, index) => id !== present[index])) return REFUSED;
    out.schemas = present;
    return out;
  };
}

/** meta (RFC 7643 §3.1) in scimmy's order: resourceType, created, lastModified, location, version. */
function writeMeta(meta: ScimJson, resourceType: string, location: string): ScimJson | Refused {
  const created = dateTime(meta.created);
  const lastModified = dateTime(meta.lastModified);
  if (created === REFUSED || lastModified === REFUSED) return REFUSED;
  const out: ScimJson = { resourceType };
  if (created !== undefined) out.created = created;
  if (lastModified !== undefined) out.lastModified = lastModified;
  out.location = location;
  const version = meta.version;
  if (version !== undefined && version !== null) {
    if (typeof version !== "string") return REFUSED;
    out.version = version;
  }
  return out;
}

/** A function writing one attribute's value as scimmy returns it; undefined leaves it out. */
function writer(attribute: ScimAttribute, path: string, configOf: (path: string) => ScimmyConfig): Writer {
  const config = configOf(path);
  // write-only (`password`): scimmy coerces it inbound only
  if (attribute.returned === "never" || config.direction === "in") return () => undefined;
  const required = config.required === true;
  const single = attribute.type === "complex" ? complexWriter(attribute, path, configOf) : scalarWriter(attribute, config);
  if (!attribute.multiValued) {
    return (value) => {
      if (value === undefined || value === null) return required ? REFUSED : undefined;
      return single(value);
    };
  }
  return (value) => {
    if (value === undefined || value === null) return required ? REFUSED : undefined;
    if (!Array.isArray(value)) return REFUSED;
    const items: unknown[] = [];
    for (const item of value) {
      const written = single(item);
      if (written === REFUSED || written === undefined) return REFUSED;
      items.push(written);
    }
    return items;
  };
}

function complexWriter(attribute: ScimAttribute, path: string, configOf: (path: string) => ScimmyConfig): Writer {
  const subAttributes = (attribute.subAttributes ?? []).map((sub) => {
    const config = configOf(`${path}.${sub.name}`);
    const hidden = sub.returned === "never" || config.returned === false || config.returned === "never" || config.direction === "in";
    return { name: sub.name, hidden, required: config.required === true, write: scalarWriter(sub, config) };
  });
  const known = new Set(subAttributes.map((sub) => sub.name));
  return (value) => {
    if (!isObject(value)) return REFUSED;
    // scimmy reads keys case-insensitively; Roster writes them in the table's spelling
    for (const key of Object.keys(value)) if (!known.has(key)) return REFUSED;
    const out: ScimJson = {};
    for (const sub of subAttributes) {
      const inner = value[sub.name];
      if (inner === undefined || inner === null) {
        if (sub.required) return REFUSED;
        continue;
      }
      const written = sub.write(inner);
      if (written === REFUSED) return REFUSED;
      if (!sub.hidden) out[sub.name] = written;
    }
    return out;
  };
}

function scalarWriter(attribute: ScimAttribute, config: ScimmyConfig): Writer {
  const canonical = Array.isArray(config.canonicalValues) ? new Set(config.canonicalValues as unknown[]) : undefined;
  const checked = (write: Writer): Writer => (canonical ? (value) => (canonical.has(value) ? write(value) : REFUSED) : write);
  switch (attribute.type) {
    case "string":
    case "binary":
      return checked((value) => (typeof value === "string" ? value : REFUSED));
    case "boolean":
      return checked((value) => (typeof value === "boolean" ? value : REFUSED));
    case "dateTime":
      return checked(dateTime);
    case "reference":
      return checked(referenceWriter(attribute.referenceTypes ?? []));
    default:
      return () => REFUSED;
  }
}

/** scimmy's check of a reference against its referenceTypes (a URL with a host for `external`); a value it refuses is left to it. */
function referenceWriter(referenceTypes: readonly string[]): Writer {
  const resourceTypes = referenceTypes.filter((type) => type !== "uri" && type !== "external");
  const external = referenceTypes.includes("external");
  const uri = referenceTypes.includes("uri");
  return (value) => {
    if (typeof value !== "string" || !referenceTypes.length) return REFUSED;
    if (resourceTypes.some((type) => value.startsWith(type) || value.includes(`/${type}`))) return value;
    if (external && parsedUrl(value)?.hostname) return value;
    if (uri && (parsedUrl(value) || value.startsWith("/"))) return value;
    return REFUSED;
  };
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const CANONICAL_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A dateTime as scimmy writes it, `new Date(value).toISOString()`, for what it would accept without doubt. */
function dateTime(value: unknown): string | undefined | Refused {
  if (value === undefined || value === null) return undefined;
  // the ISO form Roster writes is its own round trip through Date (days past the 28th may roll over: checked below)
  if (typeof value === "string" && CANONICAL_INSTANT.test(value)) return value;
  if (!(value instanceof Date) && typeof value !== "string") return REFUSED;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return REFUSED;
  const iso = date.toISOString();
  return ISO_INSTANT.test(iso) ? iso : REFUSED;
}

/** scimmy's `hasActualValues`: a defined scalar, or an object or list holding one somewhere. */
function hasActualValue(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return value !== undefined;
  return Object.values(value).some(hasActualValue);
}

function isObject(value: unknown): value is ScimJson {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
