import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER } from "../../domain/types";

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

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

const text = (field: string, shadow?: string): AttributeSpec =>
  shadow ? { field, type: "string", caseExact: false, shadow } : { field, type: "string", caseExact: false };
const exact = (field: string): AttributeSpec => ({ field, type: "string", caseExact: true });
const bool = (field: string): AttributeSpec => ({ field, type: "boolean", caseExact: false });
const dateTime = (field: string): AttributeSpec => ({ field, type: "dateTime", caseExact: false });

/** value, display, type, primary: the sub-attributes most multi-valued attributes share (RFC 7643 §2.4). */
function multiValued(field: string, value: AttributeSpec = text("value")): MultiValuedSpec {
  return { field, subAttributes: { value, display: text("display"), type: text("type"), primary: bool("primary") } };
}

const META = {
  id: exact("_id"),
  externalId: exact("externalId"),
  "meta.created": dateTime("created"),
  "meta.lastModified": dateTime("lastModified"),
};

/** Filterable User attributes (RFC 7643 §4.1, §4.3 and the Roster extension). */
export const USER_ATTRIBUTES: ResourceAttributes = {
  coreSchema: CORE_USER,
  schemas: {
    [CORE_USER]: {
      attributes: {
        ...META,
        userName: text("userName", "userNameKey"),
        displayName: text("displayName", "displayNameKey"),
        "name.formatted": text("name.formatted"),
        "name.familyName": text("name.familyName"),
        "name.givenName": text("name.givenName"),
        "name.middleName": text("name.middleName"),
        "name.honorificPrefix": text("name.honorificPrefix"),
        "name.honorificSuffix": text("name.honorificSuffix"),
        nickName: text("nickName"),
        profileUrl: text("profileUrl"),
        title: text("title"),
        userType: text("userType"),
        preferredLanguage: text("preferredLanguage"),
        locale: text("locale"),
        timezone: text("timezone"),
        active: bool("active"),
      },
      multiValued: {
        emails: multiValued("emails", text("value", "emailKeys")),
        phoneNumbers: multiValued("phoneNumbers"),
        ims: multiValued("ims"),
        photos: multiValued("photos"),
        roles: multiValued("roles"),
        entitlements: multiValued("entitlements"),
        x509Certificates: multiValued("x509Certificates", exact("value")),
        addresses: {
          field: "addresses",
          subAttributes: {
            formatted: text("formatted"),
            streetAddress: text("streetAddress"),
            locality: text("locality"),
            region: text("region"),
            postalCode: text("postalCode"),
            country: text("country"),
            type: text("type"),
            primary: bool("primary"),
          },
        },
      },
    },
    [ENTERPRISE_USER]: {
      attributes: {
        employeeNumber: text("enterprise.employeeNumber"),
        costCenter: text("enterprise.costCenter"),
        organization: text("enterprise.organization"),
        division: text("enterprise.division"),
        department: text("enterprise.department"),
        // an id; manager.displayName is derived when a user is read, so it is not filterable
        "manager.value": exact("enterprise.manager.value"),
      },
      multiValued: {},
    },
    [ROSTER_USER]: {
      attributes: { leaveDate: dateTime("roster.leaveDate") },
      multiValued: {},
    },
  },
};

/** Filterable Group attributes (RFC 7643 §4.2 and the Roster extension). */
export const GROUP_ATTRIBUTES: ResourceAttributes = {
  coreSchema: CORE_GROUP,
  schemas: {
    [CORE_GROUP]: {
      attributes: { ...META, displayName: text("displayName", "displayNameKey") },
      multiValued: {
        members: {
          field: "members",
          join: "groupIdsWithMember",
          subAttributes: { value: exact("value"), display: text("display"), type: text("type"), $ref: exact("$ref") },
        },
      },
    },
    [ROSTER_GROUP]: {
      attributes: { "manager.value": exact("roster.manager.value") },
      multiValued: {},
    },
  },
};
