/**
 * The one declaration of the SCIM attributes Roster serves (RFC 7643 §4.1, §4.2, §4.3 and
 * Roster's extensions, SPEC §3), as plain data. The request normalizer, the mapping to and
 * from stored documents, the filter attribute map, the policy path check and the Roster
 * schema declarations are derived from it; a test checks it against scimmy's definitions,
 * which `/Schemas` advertises.
 */
import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER } from "./types";

export const CORE_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** RFC 7643 §2.3 data types. */
export type ScimAttributeType = "string" | "boolean" | "dateTime" | "complex" | "reference" | "binary" | "decimal" | "integer";
/** RFC 7643 §7 `mutability`. */
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
/** RFC 7643 §7 `returned`. */
export type Returned = "always" | "default" | "never" | "request";

export interface ScimAttribute {
  readonly name: string;
  readonly type: ScimAttributeType;
  readonly multiValued: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly description: string;
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly ScimAttribute[];
  /**
   * Stored document field, dotted from the document root (`enterprise.department`); for a
   * sub-attribute of a multi-valued attribute, relative to one element. Absent: not stored
   * as such (derived when read, hashed, or not kept).
   */
  readonly field?: string;
  /** document-level field holding lower(value) under an index, for case-insensitive lookups */
  readonly shadow?: string;
  /** the value is a resource id: compared case-sensitively, as `id` is (RFC 7643 §3.1) */
  readonly holdsId?: boolean;
  /** kept in another collection, one document per value (group members) */
  readonly storedApart?: boolean;
  /** other names clients send for this sub-attribute, read as this one (IDP-TRAFFIC.md) */
  readonly aliases?: readonly string[];
}

/** One schema (core or extension) of a resource type. */
export interface ScimSchema {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly ScimAttribute[];
}

/** A resource type's core schema and its extensions (RFC 7643 §6). */
export interface ResourceSchemas {
  readonly resourceType: "User" | "Group";
  readonly core: ScimSchema;
  readonly extensions: readonly ScimSchema[];
}

type Options = Partial<Omit<ScimAttribute, "name" | "type" | "description">>;

function attribute(type: ScimAttributeType, name: string, description: string, options: Options = {}): ScimAttribute {
  return { name, type, multiValued: false, caseExact: false, mutability: "readWrite", returned: "default", description, ...options };
}

/** A sub-attribute of a multi-valued attribute, stored under its own name in each element. */
function element(type: ScimAttributeType, name: string, description: string, options: Options = {}): ScimAttribute {
  return attribute(type, name, description, { field: name, ...options });
}

/** value, display, type, primary (RFC 7643 §2.4), shared by most multi-valued attributes. */
function valueDisplayTypePrimary(value: ScimAttribute): ScimAttribute[] {
  return [
    value,
    element("string", "display", "A human-readable name, primarily used for display purposes"),
    element("string", "type", "A label indicating the attribute's function"),
    element("boolean", "primary", "Whether this is the primary or preferred value"),
  ];
}

function multiValued(name: string, description: string, subAttributes: ScimAttribute[]): ScimAttribute {
  return attribute("complex", name, description, { multiValued: true, field: name, subAttributes });
}

/** id, externalId, meta: the common attributes of every resource (RFC 7643 §3.1). */
const COMMON: readonly ScimAttribute[] = [
  attribute("string", "id", "Unique identifier for the resource, assigned by the service provider", {
    caseExact: true, mutability: "readOnly", returned: "always", field: "_id",
  }),
  attribute("string", "externalId", "Identifier of the resource as defined by the provisioning client", { caseExact: true, field: "externalId" }),
  attribute("complex", "meta", "Resource metadata", {
    mutability: "readOnly",
    subAttributes: [
      attribute("string", "resourceType", "The name of the resource type", { caseExact: true, mutability: "readOnly" }),
      attribute("dateTime", "created", "When the resource was added", { mutability: "readOnly", field: "created" }),
      attribute("dateTime", "lastModified", "When the resource was last updated", { mutability: "readOnly", field: "lastModified" }),
      attribute("string", "location", "The URI of the resource", { mutability: "readOnly" }),
      attribute("string", "version", "The version (ETag) of the resource", { mutability: "readOnly" }),
    ],
  }),
];

const text = (name: string, description: string, options: Options = {}): ScimAttribute => attribute("string", name, description, { field: name, ...options });

/** RFC 7643 §4.1 */
const CORE_USER: ScimSchema = {
  id: CORE_USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    ...COMMON,
    text("userName", "Unique identifier for the User, case-insensitively unique per tenant", { shadow: "userNameKey" }),
    attribute("complex", "name", "The components of the user's real name", {
      subAttributes: [
        text("formatted", "The full name, formatted for display", { field: "name.formatted" }),
        text("familyName", "The family name", { field: "name.familyName" }),
        text("givenName", "The given name", { field: "name.givenName" }),
        text("middleName", "The middle name(s)", { field: "name.middleName" }),
        text("honorificPrefix", "The honorific prefix(es)", { field: "name.honorificPrefix" }),
        text("honorificSuffix", "The honorific suffix(es)", { field: "name.honorificSuffix" }),
      ],
    }),
    text("displayName", "The name of the User, suitable for display", { shadow: "displayNameKey" }),
    text("nickName", "The casual way to address the user"),
    attribute("reference", "profileUrl", "A URI of the user's online profile", { referenceTypes: ["external"], field: "profileUrl" }),
    text("title", "The user's title"),
    text("userType", "The relationship between the organization and the user"),
    text("preferredLanguage", "The user's preferred written or spoken language"),
    text("locale", "The user's default location for localization"),
    text("timezone", "The user's time zone in IANA Time Zone database format"),
    attribute("boolean", "active", "The user's administrative status", { field: "active" }),
    // stored only as a scrypt hash (passwordHash), never returned
    attribute("string", "password", "The user's cleartext password, for setting it", { mutability: "writeOnly", returned: "never" }),
    multiValued("emails", "Email addresses for the user", valueDisplayTypePrimary(element("string", "value", "Email address", { shadow: "emailKeys" }))),
    multiValued("phoneNumbers", "Phone numbers for the user", valueDisplayTypePrimary(element("string", "value", "Phone number"))),
    multiValued("ims", "Instant messaging addresses for the user", valueDisplayTypePrimary(element("string", "value", "Instant messaging address"))),
    multiValued("photos", "URLs of photos of the user", valueDisplayTypePrimary(element("reference", "value", "URL of a photo", { referenceTypes: ["external"] }))),
    multiValued("addresses", "Physical mailing addresses for the user", [
      element("string", "formatted", "The full mailing address, formatted for display"),
      element("string", "streetAddress", "The full street address component"),
      element("string", "locality", "The city or locality component"),
      element("string", "region", "The state or region component"),
      element("string", "postalCode", "The zip code or postal code component"),
      element("string", "country", "The country name component"),
      element("string", "type", "A label indicating the attribute's function"),
      element("boolean", "primary", "Whether this is the primary or preferred address"),
    ]),
    // derived from the membership documents when a user is read (RFC 7643 §4.1.2)
    attribute("complex", "groups", "The groups the user belongs to", {
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        attribute("string", "value", "The id of the group", { mutability: "readOnly", holdsId: true }),
        attribute("reference", "$ref", "The URI of the group", { mutability: "readOnly", referenceTypes: ["User", "Group"] }),
        attribute("string", "display", "The display name of the group", { mutability: "readOnly" }),
        attribute("string", "type", "direct or indirect membership", { mutability: "readOnly" }),
      ],
    }),
    multiValued("entitlements", "Entitlements of the user", valueDisplayTypePrimary(element("string", "value", "The value of an entitlement"))),
    multiValued("roles", "Roles of the user", valueDisplayTypePrimary(element("string", "value", "The value of a role"))),
    multiValued("x509Certificates", "X.509 certificates of the user", valueDisplayTypePrimary(element("binary", "value", "DER-encoded certificate", { caseExact: true }))),
  ],
};

/** RFC 7643 §4.3 */
const ENTERPRISE: ScimSchema = {
  id: ENTERPRISE_USER,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    text("employeeNumber", "Numeric or alphanumeric identifier assigned to a person", { field: "enterprise.employeeNumber" }),
    text("costCenter", "Identifies the name of a cost center", { field: "enterprise.costCenter" }),
    text("organization", "Identifies the name of an organization", { field: "enterprise.organization" }),
    text("division", "Identifies the name of a division", { field: "enterprise.division" }),
    text("department", "Identifies the name of a department", { field: "enterprise.department" }),
    attribute("complex", "manager", "The user's manager", {
      subAttributes: [
        // kept as sent, even an id that is not (yet) a Roster user (README decisions)
        text("value", "The id of the SCIM resource representing the user's manager", { field: "enterprise.manager.value", holdsId: true }),
        attribute("reference", "$ref", "The URI of the manager", { referenceTypes: ["User"] }),
        // derived when a user is read
        attribute("string", "displayName", "The displayName of the user's manager", { mutability: "readOnly" }),
      ],
    }),
  ],
};

/** SPEC §3: `leaveDate` */
const ROSTER_USER_EXTENSION: ScimSchema = {
  id: ROSTER_USER,
  name: "RosterUser",
  description: "Roster lifecycle attributes of a user",
  attributes: [attribute("dateTime", "leaveDate", "When the user leaves; Roster deactivates them then", { field: "roster.leaveDate" })],
};

/** RFC 7643 §4.2 */
const CORE_GROUP: ScimSchema = {
  id: CORE_GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    ...COMMON,
    text("displayName", "A human-readable name for the group", { shadow: "displayNameKey" }),
    attribute("complex", "members", "A list of members of the group", {
      multiValued: true,
      storedApart: true,
      field: "members",
      subAttributes: [
        element("string", "value", "Identifier of the member", { mutability: "immutable", holdsId: true }),
        // Entra's reference collection sends members' display as displayName
        element("string", "display", "A human-readable name of the member", { mutability: "immutable", aliases: ["displayName"] }),
        element("reference", "$ref", "The URI of the member", { mutability: "immutable", referenceTypes: ["User", "Group"], holdsId: true }),
        element("string", "type", "The type of the member", { mutability: "immutable" }),
      ],
    }),
  ],
};

/** SPEC §3: `manager {value, display}`, the team leader of the group */
const ROSTER_GROUP_EXTENSION: ScimSchema = {
  id: ROSTER_GROUP,
  name: "RosterGroup",
  description: "Roster attributes of a group",
  attributes: [
    attribute("complex", "manager", "The team leader of this group", {
      subAttributes: [
        text("value", "id of the leading user", { field: "roster.manager.value", holdsId: true }),
        attribute("string", "display", "display name of the leading user", { mutability: "readOnly" }),
      ],
    }),
  ],
};

export const USER_SCHEMAS: ResourceSchemas = { resourceType: "User", core: CORE_USER, extensions: [ENTERPRISE, ROSTER_USER_EXTENSION] };
export const GROUP_SCHEMAS: ResourceSchemas = { resourceType: "Group", core: CORE_GROUP, extensions: [ROSTER_GROUP_EXTENSION] };

/** The schemas of a resource type. */
export function resourceSchemas(kind: "User" | "Group"): ResourceSchemas {
  return kind === "User" ? USER_SCHEMAS : GROUP_SCHEMAS;
}

/** An attribute or sub-attribute by name, ignoring case (RFC 7643 §2.1). */
export function findScimAttribute(attributes: readonly ScimAttribute[] | undefined, name: string): ScimAttribute | undefined {
  const wanted = name.toLowerCase();
  return attributes?.find((candidate) => candidate.name.toLowerCase() === wanted);
}

/** The schema a URN names among a resource type's schemas, ignoring case (RFC 7643 §2.1). */
export function findScimSchema(schemas: ResourceSchemas, urn: string): ScimSchema | undefined {
  const wanted = urn.toLowerCase();
  return [schemas.core, ...schemas.extensions].find((schema) => schema.id.toLowerCase() === wanted);
}

/** A path split into its schema and attribute (RFC 7644 §3.10): `<urn>:name.givenName` → core, ["name", "givenName"]. */
export interface SchemaPath {
  schema: ScimSchema;
  /** the rest after the URN, as written (may hold a value filter) */
  rest: string;
  /** whether the path was written with its URN */
  qualified: boolean;
}

/**
 * Splits off the URN a path starts with: the longest of the resource's schema ids that
 * prefixes it followed by `:`; no URN means the core schema. Undefined for an unknown URN.
 */
export function splitSchemaPath(schemas: ResourceSchemas, path: string): SchemaPath | undefined {
  if (!/^urn:/i.test(path)) return { schema: schemas.core, rest: path, qualified: false };
  const lower = path.toLowerCase();
  let found: ScimSchema | undefined;
  for (const schema of [schemas.core, ...schemas.extensions]) {
    if (lower.startsWith(`${schema.id.toLowerCase()}:`) && (!found || schema.id.length > found.id.length)) found = schema;
  }
  return found ? { schema: found, rest: path.slice(found.id.length + 1), qualified: true } : undefined;
}
