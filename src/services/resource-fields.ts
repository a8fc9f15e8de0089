import type { ResourceSchemas, ScimAttribute, ScimSchema } from "../domain/scim-attributes";
import type { ScimJson } from "../domain/types";

/**
 * The two directions of the document ↔ SCIM mapping, derived from the attribute table
 * (domain/scim-attributes.ts): which attribute goes to which stored field, and which
 * lowercase shadow key follows it. Attributes kept elsewhere (members, groups, meta,
 * the password hash) are the callers' business.
 */

/** Stored fields for the writable attributes of a SCIM resource as scimmy parsed it (RFC 7643 §7 mutability). */
export function scimToFields(instance: ScimJson, schemas: ResourceSchemas): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const schema of [schemas.core, ...schemas.extensions]) {
    const source = schema === schemas.core ? instance : valueOf(instance, schema.id);
    if (!isObject(source)) continue;
    for (const attribute of schema.attributes) {
      if (attribute.mutability === "readOnly" || attribute.storedApart) continue;
      const value = valueOf(source, attribute.name);
      if (!isPresent(value)) continue;
      if (attribute.multiValued) {
        if (!attribute.field || !Array.isArray(value) || !value.length) continue;
        setPath(fields, attribute.field, value.filter(isObject).map((item) => storedElement(item, attribute.subAttributes ?? [])));
      } else if (attribute.subAttributes) {
        if (!isObject(value)) continue;
        for (const sub of attribute.subAttributes) {
          const inner = valueOf(value, sub.name);
          if (sub.field && sub.mutability !== "readOnly" && isPresent(inner)) setPath(fields, sub.field, storedScalar(sub, inner));
        }
      } else if (attribute.field) {
        setPath(fields, attribute.field, storedScalar(attribute, value));
      }
    }
  }
  for (const schema of [schemas.core, ...schemas.extensions]) setShadows(fields, schema);
  return fields;
}

/** The SCIM attributes of a stored document, except `schemas`, `meta` and what is kept elsewhere; extensions under their URN. */
export function fieldsToScim(doc: object, schemas: ResourceSchemas): ScimJson {
  const out: ScimJson = {};
  for (const schema of readPlan(schemas)) {
    const target: ScimJson = schema.extension === undefined ? out : {};
    for (const attribute of schema.attributes) {
      if (attribute.subAttributes) {
        const value: ScimJson = {};
        let present = false;
        for (const sub of attribute.subAttributes) {
          const inner = readKeys(doc, sub.keys);
          if (inner !== undefined && inner !== null) {
            value[sub.name] = sub.dateTime ? isoString(inner) : inner;
            present = true;
          }
        }
        if (present) target[attribute.name] = value;
        continue;
      }
      const value = readKeys(doc, attribute.keys);
      if (value !== undefined && value !== null) target[attribute.name] = attribute.dateTime ? isoString(value) : value;
    }
    if (schema.extension !== undefined && Object.keys(target).length) out[schema.extension] = target;
  }
  return out;
}

/** What fieldsToScim reads of one attribute: its stored path split once (none: never read), whether it is a dateTime. */
interface ReadStep {
  name: string;
  keys: string[] | undefined;
  dateTime: boolean;
  /** a singular complex attribute's sub-attributes (a multi-valued one is read whole) */
  subAttributes?: ReadStep[];
}

const readPlans = new WeakMap<ResourceSchemas, Array<{ extension: string | undefined; attributes: ReadStep[] }>>();

/** The attribute table walked once per table instead of once per document (a list page maps 100 users). */
function readPlan(schemas: ResourceSchemas): Array<{ extension: string | undefined; attributes: ReadStep[] }> {
  let plan = readPlans.get(schemas);
  if (plan) return plan;
  const step = (attribute: ScimAttribute, dateTime: boolean): ReadStep => ({ name: attribute.name, keys: attribute.field === undefined ? undefined : attribute.field.split("."), dateTime });
  plan = [schemas.core, ...schemas.extensions].map((schema) => ({
    extension: schema === schemas.core ? undefined : schema.id,
    attributes: schema.attributes
      .filter((attribute) => !(attribute.returned === "never" || attribute.storedApart || attribute.name === "meta"))
      .map((attribute) =>
        attribute.subAttributes && !attribute.multiValued
          ? { ...step(attribute, false), subAttributes: attribute.subAttributes.map((sub) => step(sub, sub.type === "dateTime")) }
          : step(attribute, !attribute.multiValued && attribute.type === "dateTime"),
      ),
  }));
  readPlans.set(schemas, plan);
  return plan;
}

function readKeys(object: object, keys: string[] | undefined): unknown {
  if (keys === undefined) return undefined;
  let value: unknown = object;
  for (const key of keys) {
    if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function isoString(value: unknown): string {
  return new Date(value as string | Date).toISOString();
}

/** One element of a multi-valued attribute: its known sub-attributes that have a value. */
function storedElement(item: ScimJson, subAttributes: readonly ScimAttribute[]): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const sub of subAttributes) {
    const inner = valueOf(item, sub.name);
    if (sub.field && inner !== undefined && inner !== null) element[sub.field] = storedScalar(sub, inner);
  }
  return element;
}

function storedScalar(attribute: ScimAttribute, value: unknown): unknown {
  if (attribute.type === "dateTime" && (typeof value === "string" || value instanceof Date)) return new Date(value);
  if (attribute.type === "boolean") return Boolean(value);
  return value;
}

/** lower(value) for every attribute with a shadow key: a string for a singular one, a list for a multi-valued sub-attribute. */
function setShadows(fields: Record<string, unknown>, schema: ScimSchema): void {
  for (const attribute of schema.attributes) {
    if (attribute.shadow && attribute.field) {
      const value = getPath(fields, attribute.field);
      if (typeof value === "string") fields[attribute.shadow] = value.toLowerCase();
    }
    if (!attribute.multiValued || !attribute.field || attribute.storedApart) continue;
    for (const sub of attribute.subAttributes ?? []) {
      if (!sub.shadow || !sub.field) continue;
      const elements = (getPath(fields, attribute.field) as Array<Record<string, unknown>> | undefined) ?? [];
      fields[sub.shadow] = elements
        .map((element) => element[sub.field!])
        .filter((value): value is string => typeof value === "string" && value.length > 0)
        .map((value) => value.toLowerCase());
    }
  }
}

/** A key of a parsed resource, ignoring case (RFC 7643 §2.1); own keys only. */
function valueOf(object: ScimJson, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

function getPath(object: object, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split(".")) {
    if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** Field paths come from the attribute table, never from a client. */
function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let target = object;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(target[key])) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]] = value;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
