import { expect } from "chai";
import SCIMMY from "scimmy";
import { GROUP_SCHEMAS, USER_SCHEMAS, type ScimAttribute, type ScimSchema } from "../../src/domain/scim-attributes";
import { ENTERPRISE_USER, ROSTER_GROUP, ROSTER_USER } from "../../src/domain/types";
import { RosterGroupSchema, RosterUserSchema, declareResources } from "../../src/scim/declare-resources";

/** What /Schemas advertises of one attribute (scimmy's toJSON spelling, RFC 7643 §7). */
interface Advertised {
  name: string;
  type: string;
  multiValued: boolean;
  caseExact?: boolean;
  mutability: string;
  returned: string;
  subAttributes?: Advertised[];
}

interface DefinitionLike {
  id: string;
  attributes: Array<{ name: string; toJSON(): Advertised }>;
}

/** The characteristics compared, in one comparable shape. */
function fromTable(attribute: ScimAttribute): unknown {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    caseExact: attribute.caseExact,
    mutability: attribute.mutability,
    returned: attribute.returned,
    ...(attribute.subAttributes ? { subAttributes: attribute.subAttributes.map(fromTable) } : {}),
  };
}

function fromScimmy(attribute: Advertised): unknown {
  return {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    // scimmy leaves caseExact out of the JSON of types where it is always false
    caseExact: attribute.caseExact ?? false,
    mutability: attribute.mutability,
    returned: attribute.returned,
    ...(attribute.subAttributes ? { subAttributes: (JSON.parse(JSON.stringify(attribute.subAttributes)) as Advertised[]).map(fromScimmy) } : {}),
  };
}

/** scimmy lists `schemas` and the common attributes in every definition, extensions included. */
const COMMON = ["schemas", "id", "externalId", "meta"];

function advertised(definition: unknown, withCommon: boolean): unknown[] {
  const { attributes } = definition as DefinitionLike;
  return attributes
    // once resources are declared, scimmy lists each attached extension's definition among the attributes
    .filter((attribute) => attribute instanceof SCIMMY.Types.Attribute && attribute.name !== "schemas" && (withCommon || !COMMON.includes(attribute.name)))
    .map((attribute) => fromScimmy(JSON.parse(JSON.stringify(attribute)) as Advertised));
}

function extension(schemas: readonly ScimSchema[], urn: string): ScimSchema {
  return schemas.find((schema) => schema.id === urn)!;
}

describe("SCIM attribute table", () => {
  // as the server runs: declared resources attach their extensions to scimmy's definitions
  before(() => declareResources());

  it("agrees with scimmy's core User definition on names, types, multiValued, caseExact, mutability and returned [RFC 7643 §4.1]", () => {
    expect(USER_SCHEMAS.core.attributes.map(fromTable)).to.deep.equal(advertised(SCIMMY.Schemas.User.definition, true));
  });

  it("agrees with scimmy's Enterprise User definition [RFC 7643 §4.3]", () => {
    expect(extension(USER_SCHEMAS.extensions, ENTERPRISE_USER).attributes.map(fromTable)).to.deep.equal(advertised(SCIMMY.Schemas.EnterpriseUser.definition, false));
  });

  it("agrees with scimmy's core Group definition [RFC 7643 §4.2]", () => {
    expect(GROUP_SCHEMAS.core.attributes.map(fromTable)).to.deep.equal(advertised(SCIMMY.Schemas.Group.definition, true));
  });

  it("is what the Roster extensions declare to scimmy [SPEC §3]", () => {
    expect(extension(USER_SCHEMAS.extensions, ROSTER_USER).attributes.map(fromTable)).to.deep.equal(advertised(RosterUserSchema, false));
    expect(extension(GROUP_SCHEMAS.extensions, ROSTER_GROUP).attributes.map(fromTable)).to.deep.equal(advertised(RosterGroupSchema, false));
  });

  it("names the lowercase shadow keys the store indexes [userName, displayName, emails.value]", () => {
    const user = USER_SCHEMAS.core.attributes;
    expect(user.find((attribute) => attribute.name === "userName")!.shadow).to.equal("userNameKey");
    expect(user.find((attribute) => attribute.name === "displayName")!.shadow).to.equal("displayNameKey");
    expect(user.find((attribute) => attribute.name === "emails")!.subAttributes!.find((sub) => sub.name === "value")!.shadow).to.equal("emailKeys");
    expect(GROUP_SCHEMAS.core.attributes.find((attribute) => attribute.name === "displayName")!.shadow).to.equal("displayNameKey");
  });
});
