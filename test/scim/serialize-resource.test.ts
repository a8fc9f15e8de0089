import { expect } from "chai";
import SCIMMY from "scimmy";
import { seededRandom } from "../../bench/seeded-random";
import { GROUP_SCHEMAS, USER_SCHEMAS, type ResourceSchemas, type ScimAttribute } from "../../src/domain/scim-attributes";
import type { ScimJson } from "../../src/domain/types";
import { declareResources } from "../../src/scim/declare-resources";
import { projectAttributes, type AttributeSelection } from "../../src/scim/project-attributes";
import { serializeResource, serializeWithoutScimmy } from "../../src/scim/serialize-resource";
import { groupDocToScim } from "../../src/services/group-resource";
import { userDocToScim } from "../../src/services/user-resource";
import type { GroupDoc, UserDoc } from "../../src/store/documents";

const BASE = "https://roster.invalid/scim/v2";

/** scimmy's outbound coercion, as the routes used it before the compiled serializer. */
function scimmyOut(kind: "User" | "Group", resource: ScimJson): unknown {
  const Schema = (kind === "User" ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group) as unknown as new (...args: unknown[]) => ScimJson;
  return new Schema(resource, "out", `${BASE}/${kind}s`);
}

/** Both outputs as the bytes a client receives, or the error each raised. */
function bothWays(kind: "User" | "Group", resource: ScimJson, selection: AttributeSelection = {}): [string, string, string] {
  const attempt = (work: () => unknown): string => {
    try {
      return JSON.stringify(work());
    } catch (error) {
      return `error ${(error as Error).constructor.name} ${(error as Error).message}`;
    }
  };
  const clone = () => structuredClone(resource);
  return [
    attempt(() => projectAttributes(serializeResource(kind, clone(), `${BASE}/${kind}s`), selection)),
    // the list route: scimmy's JSON, then the projection
    attempt(() => projectAttributes(JSON.parse(JSON.stringify(scimmyOut(kind, clone()))) as ScimJson, selection)),
    // GET /:id: scimmy's instance itself, without a projection (see the projection test)
    attempt(() => projectAttributes(scimmyOut(kind, clone()) as ScimJson, selection)),
  ];
}

/** Members as the routes serve them (withMemberDetails): display (absent for a user gone meanwhile), $ref, type. */
function withDetails(group: ScimJson): ScimJson {
  if (!Array.isArray(group.members)) return group;
  const members = (group.members as ScimJson[]).map((member, index) => ({ value: member.value, ...(index % 3 === 2 ? {} : { display: `Member ${index} ${["", "ümlaut", "😀"][index % 3]}` }), $ref: `${BASE}/Users/${member.value}`, type: "User" }));
  return { ...group, members };
}

type Random = () => number;

/** A value of an attribute's type, varied by the generator; references of the kinds scimmy accepts. */
function valueOf(attribute: ScimAttribute, random: Random, n: number): unknown {
  switch (attribute.type) {
    case "boolean":
      return random() < 0.5;
    case "dateTime":
      return new Date(Date.UTC(2020 + (n % 10), n % 12, 1 + (n % 28), n % 24, n % 60, n % 60, n % 1000));
    case "reference":
      return attribute.referenceTypes?.includes("external") ? `https://example.com/${attribute.name}/${n}` : `${BASE}/Users/u${n}`;
    case "binary":
      return Buffer.from(`certificate ${n}`).toString("base64");
    default:
      return `${attribute.name} ${n} ${["", "ümlaut", "quote \" and \\", "line\nbreak", "😀"][n % 5]}`;
  }
}

/** Sets a dotted document field. */
function setField(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let target = doc;
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
}

/**
 * A stored document with every stored attribute of the table populated (`all`), or each one
 * with probability ½, multi-valued attributes with 1–3 elements whose sub-attributes are
 * populated the same way.
 */
function storedFields(schemas: ResourceSchemas, random: Random, all: boolean): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const wanted = () => all || random() < 0.5;
  let n = Math.floor(random() * 1000);
  for (const schema of [schemas.core, ...schemas.extensions]) {
    for (const attribute of schema.attributes) {
      if (attribute.storedApart || attribute.mutability === "readOnly" || attribute.returned === "never" || !wanted()) continue;
      if (attribute.multiValued && attribute.field) {
        const elements = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const element: Record<string, unknown> = {};
          for (const sub of attribute.subAttributes ?? []) if (sub.field && wanted()) element[sub.field] = valueOf(sub, random, n++);
          return element;
        }).filter((element) => Object.keys(element).length);
        if (elements.length) setField(doc, attribute.field, elements);
      } else if (attribute.subAttributes) {
        for (const sub of attribute.subAttributes) if (sub.field && wanted()) setField(doc, sub.field, valueOf(sub, random, n++));
      } else if (attribute.field && attribute.field !== "_id") {
        setField(doc, attribute.field, valueOf(attribute, random, n++));
      }
    }
  }
  return doc;
}

function userDoc(random: Random, index: number, all: boolean): UserDoc {
  const created = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, index));
  const fields = storedFields(USER_SCHEMAS, random, all);
  return { ...fields, _id: `user-${index}`, tenant: "t", version: 1 + index, created, lastModified: new Date(created.getTime() + 1000), userName: `user.${index}@example.com`, userNameKey: `user.${index}@example.com`, active: random() < 0.5 } as unknown as UserDoc;
}

function groupDoc(random: Random, index: number, all: boolean): GroupDoc {
  const created = new Date(Date.UTC(2024, 5, 1, 0, 0, 0, index));
  const fields = storedFields(GROUP_SCHEMAS, random, all);
  return { ...fields, _id: `group-${index}`, tenant: "t", version: 1 + index, created, lastModified: created, displayName: `Group ${index}`, displayNameKey: `group ${index}` } as unknown as GroupDoc;
}

/** Projections over every attribute path of the table, URN-qualified and not, plus mixed lists. */
function selections(schemas: ResourceSchemas): AttributeSelection[] {
  const paths: string[] = [];
  for (const schema of [schemas.core, ...schemas.extensions]) {
    const prefix = schema === schemas.core ? "" : `${schema.id}:`;
    if (prefix) paths.push(schema.id);
    for (const attribute of schema.attributes) {
      paths.push(`${prefix}${attribute.name}`);
      for (const sub of attribute.subAttributes ?? []) paths.push(`${prefix}${attribute.name}.${sub.name}`);
    }
  }
  paths.push(`${schemas.core.id}:${schemas.core.attributes[1].name}`, "META.VERSION", "id", "schemas");
  const lists = [...paths.map((path) => [path]), paths.slice(0, 5), paths.slice(5, 12), ["emails.value", "name.givenName", "nonexistent"]];
  return [{}, ...lists.flatMap((list) => [{ attributes: list.join(",") }, { excludedAttributes: list.join(",") }])];
}

describe("serializeResource", () => {
  before(() => declareResources());

  it("writes a user with every attribute populated byte for byte as scimmy does [core, enterprise, roster, groups, manager display]", () => {
    const random = seededRandom(1);
    for (let index = 0; index < 20; index++) {
      const groups = Array.from({ length: index % 4 }, (_, g) => ({ value: `group-${g}`, display: `Group ${g}` }));
      const resource = userDocToScim(userDoc(random, index, true), groups, index % 2 ? `Manager ${index}` : undefined);
      const [fast, scimmy, instance] = bothWays("User", resource);
      expect(fast).to.equal(scimmy);
      expect(fast).to.equal(instance);
      expect(fast).to.not.match(/^error/);
      expect(serializeWithoutScimmy("User", resource, `${BASE}/Users`), "served without scimmy").to.not.equal(undefined);
    }
  });

  it("writes users with any subset of the attributes byte for byte as scimmy does", () => {
    const random = seededRandom(2);
    for (let index = 0; index < 300; index++) {
      const resource = userDocToScim(userDoc(random, index, false), random() < 0.5 ? [] : [{ value: "g", display: "G" }], random() < 0.5 ? "Boss" : undefined);
      const [fast, scimmy, instance] = bothWays("User", resource);
      expect(fast, JSON.stringify(resource)).to.equal(scimmy);
      expect(fast).to.equal(instance);
    }
  });

  it("writes groups with and without members byte for byte as scimmy does", () => {
    const random = seededRandom(3);
    for (let index = 0; index < 100; index++) {
      const members = index % 3 === 0 ? undefined : Array.from({ length: index % 7 }, (_, m) => `user-${m}`);
      const resource = withDetails(groupDocToScim(groupDoc(random, index, index < 10), members));
      const [fast, scimmy, instance] = bothWays("Group", resource);
      expect(serializeWithoutScimmy("Group", resource, `${BASE}/Groups`), "served without scimmy").to.not.equal(undefined);
      expect(fast, JSON.stringify(resource)).to.equal(scimmy);
      expect(fast).to.equal(instance);
    }
  });

  // GET /:id used to project scimmy's instance, whose complex values have a getter for every
  // sub-attribute: excluding all of a complex's values left `"manager":{}` there (and its URN in
  // `schemas`) where the list route, projecting scimmy's JSON, left nothing. Both routes now give
  // the list route's answer, so scimmy's JSON is the reference for projections.
  it("applies attributes= and excludedAttributes= to the same bytes as to scimmy's output [every path of the table]", () => {
    const random = seededRandom(4);
    const user = userDocToScim(userDoc(random, 1, true), [{ value: "g1", display: "G1" }], "Boss");
    for (const selection of selections(USER_SCHEMAS)) {
      const [fast, scimmy] = bothWays("User", user, selection);
      expect(fast, JSON.stringify(selection)).to.equal(scimmy);
    }
    const group = withDetails(groupDocToScim(groupDoc(random, 1, true), ["u1", "u2"]));
    for (const selection of selections(GROUP_SCHEMAS)) {
      const [fast, scimmy] = bothWays("Group", group, selection);
      expect(fast, JSON.stringify(selection)).to.equal(scimmy);
    }
  });

  it("gives what scimmy gives for values it treats specially [bad reference, empty lists, empty extension, odd keys, non-canonical type]", () => {
    const random = seededRandom(5);
    const base = () => userDocToScim(userDoc(random, 7, true), [{ value: "g", display: "G" }]);
    const variants: Array<(resource: ScimJson) => void> = [
      (resource) => (resource.profileUrl = "not a url"),
      (resource) => (resource.photos = [{ value: "relative/photo.png" }]),
      (resource) => (resource.emails = []),
      (resource) => (resource.emails = [{}]),
      (resource) => (resource.name = {}),
      (resource) => (resource["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = {}),
      (resource) => (resource["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = { manager: {} }),
      (resource) => (resource.schemas = [(resource.schemas as string[])[0]]),
      (resource) => (resource.USERNAME = "shadow"),
      (resource) => (resource.unknown = "dropped"),
      (resource) => (resource.groups = [{ value: "g", display: "G", type: "sideways" }]),
      (resource) => (resource.active = "yes"),
      (resource) => (resource.title = 42),
      (resource) => delete resource.userName,
      (resource) => ((resource.meta as ScimJson).created = "not a date"),
      ...["2024-02-30T00:00:00.000Z", "2023-02-29T10:00:00.000Z", "2024-01-01T24:00:00.000Z", "2024-13-01T00:00:00.000Z", "2024-01-31T23:59:59.999Z", "+010000-01-01T00:00:00.000Z", "2024-01-01T00:00:00Z"].map(
        (instant) => (resource: ScimJson) => ((resource["urn:ietf:params:scim:schemas:extension:roster:2.0:User"] as ScimJson).leaveDate = instant),
      ),
      (resource) => ((resource.emails as ScimJson[])[0].Value = "case"),
      (resource) => (resource.emails = "one@example.com"),
    ];
    for (const vary of variants) {
      const resource = base();
      vary(resource);
      const [fast, scimmy] = bothWays("User", resource);
      expect(fast, vary.toString()).to.equal(scimmy);
    }
    const group = groupDocToScim(groupDoc(random, 2, true), ["u1"]);
    (group.members as ScimJson[])[0].type = "Robot";
    const [fast, scimmy] = bothWays("Group", group);
    expect(fast).to.equal(scimmy);
  });
});
