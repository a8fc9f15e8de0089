import { expect } from "chai";
import { GROUP_ATTRIBUTES, USER_ATTRIBUTES, type ResourceAttributes } from "../../../src/scim/filter/attribute-map";
import { FilterError } from "../../../src/scim/filter/filter-error";
import { filterToMongo, type FilterResolvers, type MongoQuery } from "../../../src/scim/filter/filter-to-mongo";
import { parseFilter } from "../../../src/scim/filter/parse-filter";

import { CORE_USER, ENTERPRISE, ROSTER_USER, ROSTER_GROUP } from "../../support/urns";
const PRESENT = { $exists: true, $nin: [null, "", []] };

function query(text: string, attributes: ResourceAttributes = USER_ATTRIBUTES, resolvers?: Partial<FilterResolvers>): Promise<MongoQuery> {
  return filterToMongo(parseFilter(text), attributes, resolvers);
}

async function queryError(text: string, attributes: ResourceAttributes = USER_ATTRIBUTES, resolvers?: Partial<FilterResolvers>): Promise<FilterError> {
  try {
    await query(text, attributes, resolvers);
  } catch (error) {
    expect(error).to.be.instanceOf(FilterError);
    return error as FilterError;
  }
  return expect.fail(`expected a FilterError for ${text}`);
}

/** The single regex a query puts on `field`, to run it against sample strings. */
function regexOn(q: MongoQuery, field: string): RegExp {
  const value = q[field];
  expect(value).to.be.instanceOf(RegExp);
  return value as RegExp;
}

describe("filterToMongo", () => {
  describe("caseExact=false with a shadow key [userName]", () => {
    it("translates eq on userName to an equality on the lowercase shadow key", async () => {
      expect(await query(`userName eq "Bob.Smith"`)).to.deep.equal({ userNameKey: "bob.smith" });
    });

    it("translates ne on userName to $ne on the shadow key", async () => {
      expect(await query(`userName ne "Bob"`)).to.deep.equal({ userNameKey: { $ne: "bob" } });
    });

    it("translates sw on userName to an anchored prefix regex on the shadow key", async () => {
      expect(await query(`userName sw "Bo.b"`)).to.deep.equal({ userNameKey: /^bo\.b/ });
    });

    it("translates ew on userName to an end-anchored regex on the shadow key", async () => {
      expect(await query(`userName ew "@X.com"`)).to.deep.equal({ userNameKey: /@x\.com$/ });
    });

    it("translates co on userName to an unanchored regex on the shadow key", async () => {
      expect(await query(`userName co "OB"`)).to.deep.equal({ userNameKey: /ob/ });
    });

    it("translates gt, ge, lt and le on userName to range conditions on the shadow key", async () => {
      expect(await query(`userName gt "B"`)).to.deep.equal({ userNameKey: { $gt: "b" } });
      expect(await query(`userName ge "B"`)).to.deep.equal({ userNameKey: { $gte: "b" } });
      expect(await query(`userName lt "B"`)).to.deep.equal({ userNameKey: { $lt: "b" } });
      expect(await query(`userName le "B"`)).to.deep.equal({ userNameKey: { $lte: "b" } });
    });

    it("translates eq on displayName to its shadow key", async () => {
      expect(await query(`displayName eq "Ops Team"`)).to.deep.equal({ displayNameKey: "ops team" });
    });

    it("checks pr on the attribute itself, not the shadow key", async () => {
      expect(await query("userName pr")).to.deep.equal({ userName: PRESENT });
    });
  });

  describe("caseExact=true [externalId, id]", () => {
    it("translates eq on externalId to an exact equality", async () => {
      expect(await query(`externalId eq "AbC"`)).to.deep.equal({ externalId: "AbC" });
    });

    it("translates eq on id to an exact equality on _id", async () => {
      expect(await query(`id eq "u-1"`)).to.deep.equal({ _id: "u-1" });
    });

    it("builds case-sensitive regexes for sw, ew and co on externalId", async () => {
      expect(await query(`externalId sw "Ab"`)).to.deep.equal({ externalId: /^Ab/ });
      expect(await query(`externalId ew "Ab"`)).to.deep.equal({ externalId: /Ab$/ });
      expect(await query(`externalId co "Ab"`)).to.deep.equal({ externalId: /Ab/ });
    });

    it("translates ne and ranges on externalId without changing case", async () => {
      expect(await query(`externalId ne "Ab"`)).to.deep.equal({ externalId: { $ne: "Ab" } });
      expect(await query(`externalId gt "Ab"`)).to.deep.equal({ externalId: { $gt: "Ab" } });
      expect(await query(`externalId le "Ab"`)).to.deep.equal({ externalId: { $lte: "Ab" } });
    });

    it("keeps x509Certificates.value caseExact", async () => {
      expect(await query(`x509Certificates.value eq "MIIBx"`)).to.deep.equal({ "x509Certificates.value": "MIIBx" });
    });
  });

  describe("caseExact=false without a shadow key [title, name.givenName]", () => {
    it("translates eq to an anchored case-insensitive regex", async () => {
      expect(await query(`title eq "CEO"`)).to.deep.equal({ title: /^CEO$/i });
    });

    it("translates ne to $not of the anchored case-insensitive regex", async () => {
      expect(await query(`title ne "CEO"`)).to.deep.equal({ title: { $not: /^CEO$/i } });
    });

    it("translates sw, ew and co to case-insensitive regexes", async () => {
      expect(await query(`name.givenName sw "An"`)).to.deep.equal({ "name.givenName": /^An/i });
      expect(await query(`name.givenName ew "An"`)).to.deep.equal({ "name.givenName": /An$/i });
      expect(await query(`name.givenName co "An"`)).to.deep.equal({ "name.givenName": /An/i });
    });

    it("translates a range to a plain comparison", async () => {
      expect(await query(`title lt "M"`)).to.deep.equal({ title: { $lt: "M" } });
    });

    it("matches case-insensitively with the generated regex", async () => {
      const regex = regexOn(await query(`title eq "CEO"`), "title");
      expect(regex.test("ceo")).to.equal(true);
      expect(regex.test("vice ceo")).to.equal(false);
    });
  });

  describe("escaping", () => {
    it("escapes regex metacharacters so co matches literally", async () => {
      const q = await query(`externalId co "a.b*(c"`);
      expect(q).to.deep.equal({ externalId: /a\.b\*\(c/ });
      const regex = regexOn(q, "externalId");
      expect(regex.test("xa.b*(cx")).to.equal(true);
      expect(regex.test("aXbbb(c")).to.equal(false);
    });

    it("escapes every metacharacter [^$.*+?()[]{}|\\/-]", async () => {
      const nasty = String.raw`^$.*+?()[]{}|\/-`;
      const regex = regexOn(await query(`externalId eq ${JSON.stringify(nasty)} or externalId sw ${JSON.stringify(nasty)}`).then((q) => (q.$or as MongoQuery[])[1]), "externalId");
      expect(regex.test(`${nasty}tail`)).to.equal(true);
      expect(regex.test("tail")).to.equal(false);
    });

    it("escapes metacharacters in shadow-key regexes", async () => {
      const regex = regexOn(await query(`userName sw "a+b"`), "userNameKey");
      expect(regex.test("a+bc")).to.equal(true);
      expect(regex.test("aabc")).to.equal(false);
    });

    it("keeps $-prefixed values literal strings, never operators", async () => {
      expect(await query(`userName eq "$gt"`)).to.deep.equal({ userNameKey: "$gt" });
      expect(await query(`externalId eq "$where"`)).to.deep.equal({ externalId: "$where" });
      expect(await query(`externalId ne "$ne"`)).to.deep.equal({ externalId: { $ne: "$ne" } });
    });
  });

  describe("attribute names", () => {
    it("matches attribute names case-insensitively [DisplayName, USERNAME, name.GIVENNAME]", async () => {
      expect(await query(`DisplayName eq "Bob"`)).to.deep.equal({ displayNameKey: "bob" });
      expect(await query(`USERNAME eq "Bob"`)).to.deep.equal({ userNameKey: "bob" });
      expect(await query(`name.GIVENNAME eq "Bob"`)).to.deep.equal({ "name.givenName": /^Bob$/i });
    });

    it("resolves a path prefixed with the core schema URN", async () => {
      expect(await query(`${CORE_USER}:userName eq "Bob"`)).to.deep.equal({ userNameKey: "bob" });
      expect(await query(`${CORE_USER}:name.familyName eq "X"`)).to.deep.equal({ "name.familyName": /^X$/i });
    });

    it("resolves enterprise extension attributes under enterprise", async () => {
      expect(await query(`${ENTERPRISE}:department eq "R&D"`)).to.deep.equal({ "enterprise.department": /^R&D$/i });
    });

    it("treats the enterprise manager.value as a caseExact id", async () => {
      expect(await query(`${ENTERPRISE}:manager.value eq "U-1"`)).to.deep.equal({ "enterprise.manager.value": "U-1" });
    });

    it("resolves the URN prefix in any case", async () => {
      expect(await query(`${ENTERPRISE.toLowerCase()}:Department pr`)).to.deep.equal({ "enterprise.department": PRESENT });
    });

    it("resolves an unprefixed extension attribute the core schema lacks", async () => {
      expect(await query(`employeeNumber eq "00123"`)).to.deep.equal({ "enterprise.employeeNumber": /^00123$/i });
    });

    it("takes an unquoted value as a string [DisplayName eq Bob]", async () => {
      expect(await query("DisplayName eq Bob")).to.deep.equal({ displayNameKey: "bob" });
    });

    it("compares a number value on a string attribute as its text", async () => {
      expect(await query("externalId eq 42")).to.deep.equal({ externalId: "42" });
    });

    it("rejects an unknown attribute", async () => {
      expect((await queryError(`nickname2 eq "a"`)).message).to.match(/unknown attribute "nickname2"/);
    });

    it("rejects an unknown schema URN prefix", async () => {
      expect((await queryError(`urn:example:Foo:userName eq "a"`)).message).to.match(/unknown attribute/);
    });

    it("rejects an extension attribute under the wrong schema URN", async () => {
      expect((await queryError(`${CORE_USER}:department eq "a"`)).message).to.match(/unknown attribute/);
    });

    it("rejects the password, which is only stored hashed", async () => {
      expect((await queryError(`password eq "secret"`)).message).to.match(/unknown attribute "password"/);
    });

    it("rejects names that exist only on Object.prototype [constructor, __proto__]", async () => {
      expect((await queryError(`constructor eq "a"`)).message).to.match(/unknown attribute/);
      expect((await queryError(`emails.constructor eq "a"`)).message).to.match(/unknown attribute/);
    });

    it("rejects a complex attribute without a sub-attribute [name]", async () => {
      expect((await queryError(`name eq "a"`)).message).to.match(/unknown attribute "name"/);
    });
  });

  describe("pr, booleans, dates and null", () => {
    it("translates pr to present with a non-empty value", async () => {
      expect(await query("title pr")).to.deep.equal({ title: PRESENT });
    });

    it("translates eq on a boolean to a boolean equality [true, False, \"True\"]", async () => {
      expect(await query("active eq true")).to.deep.equal({ active: true });
      expect(await query("active eq False")).to.deep.equal({ active: false });
      expect(await query(`active eq "True"`)).to.deep.equal({ active: true });
    });

    it("translates ne on a boolean to $ne", async () => {
      expect(await query(`active ne "false"`)).to.deep.equal({ active: { $ne: false } });
    });

    it("rejects a non-boolean value for a boolean attribute", async () => {
      expect((await queryError(`active eq "yes"`)).message).to.match(/not a boolean/);
    });

    it("rejects ordering and substring operators on a boolean [gt, co]", async () => {
      expect((await queryError("active gt true")).message).to.match(/"gt" is not defined on boolean/);
      expect((await queryError(`active co "t"`)).message).to.match(/"co" is not defined on boolean/);
    });

    it("compares dateTime attributes as Dates", async () => {
      expect(await query(`meta.lastModified gt "2024-01-02T03:04:05Z"`)).to.deep.equal({ lastModified: { $gt: new Date("2024-01-02T03:04:05Z") } });
      expect(await query(`meta.created le "2024-01-02T03:04:05.678+02:00"`)).to.deep.equal({ created: { $lte: new Date("2024-01-02T01:04:05.678Z") } });
      expect(await query(`meta.created eq "2024-01-02T03:04:05Z"`)).to.deep.equal({ created: new Date("2024-01-02T03:04:05Z") });
    });

    it("reads a dateTime without an offset as UTC [date only, no zone]", async () => {
      expect(await query(`${ROSTER_USER}:leaveDate lt "2025-06-01"`)).to.deep.equal({ "roster.leaveDate": { $lt: new Date("2025-06-01T00:00:00Z") } });
      expect(await query(`leaveDate ge "2025-06-01T10:00:00"`)).to.deep.equal({ "roster.leaveDate": { $gte: new Date("2025-06-01T10:00:00Z") } });
    });

    it("rejects an invalid dateTime [not a date, Feb 30, hour 25, a number]", async () => {
      expect((await queryError(`meta.created gt "yesterday"`)).message).to.match(/not a dateTime/);
      expect((await queryError(`meta.created gt "2024-02-30"`)).message).to.match(/not a valid dateTime/);
      expect((await queryError(`meta.created gt "2024-01-01T25:00:00Z"`)).message).to.match(/not a valid dateTime/);
      expect((await queryError("meta.created gt 20240101")).message).to.match(/not a dateTime/);
    });

    it("rejects substring operators on a dateTime", async () => {
      expect((await queryError(`meta.created sw "2024"`)).message).to.match(/"sw" is not defined on dateTime/);
    });

    it("translates eq null and ne null to absence and presence", async () => {
      expect(await query("displayName eq null")).to.deep.equal({ displayName: null });
      expect(await query("displayName ne null")).to.deep.equal({ displayName: { $ne: null } });
    });

    it("rejects null with other operators", async () => {
      expect((await queryError("displayName co null")).message).to.match(/cannot compare with null/);
    });
  });

  describe("logical operators", () => {
    it("translates and to $and", async () => {
      expect(await query(`userName eq "a" and active eq true`)).to.deep.equal({ $and: [{ userNameKey: "a" }, { active: true }] });
    });

    it("translates or to $or", async () => {
      expect(await query(`userName eq "a" or userName eq "b"`)).to.deep.equal({ $or: [{ userNameKey: "a" }, { userNameKey: "b" }] });
    });

    it("translates not to $nor", async () => {
      expect(await query("not (title pr)")).to.deep.equal({ $nor: [{ title: PRESENT }] });
    });

    it("negates the whole or [not (a or b)]", async () => {
      expect(await query(`not (userName eq "a" or userName eq "b")`)).to.deep.equal({
        $nor: [{ $or: [{ userNameKey: "a" }, { userNameKey: "b" }] }],
      });
    });

    it("keeps precedence not > and > or", async () => {
      expect(await query(`title pr or not (active eq true) and userName sw "a"`)).to.deep.equal({
        $or: [{ title: PRESENT }, { $and: [{ $nor: [{ active: true }] }, { userNameKey: /^a/ }] }],
      });
    });

    it("translates nested parentheses", async () => {
      expect(await query(`((userName eq "a" or (title pr)) and (not (active eq false)))`)).to.deep.equal({
        $and: [{ $or: [{ userNameKey: "a" }, { title: PRESENT }] }, { $nor: [{ active: false }] }],
      });
    });
  });

  describe("multi-valued attributes", () => {
    it("reads a bare multi-valued attribute in a comparison as its value [emails co]", async () => {
      expect(await query(`emails co "X.com"`)).to.deep.equal({ emailKeys: /x\.com/ });
    });

    it("translates emails.value eq to the multikey shadow", async () => {
      expect(await query(`emails.value eq "A@B.com"`)).to.deep.equal({ emailKeys: "a@b.com" });
    });

    it("translates a sub-attribute without a shadow to a dotted path [phoneNumbers.value, addresses.locality]", async () => {
      expect(await query(`phoneNumbers.value sw "+49"`)).to.deep.equal({ "phoneNumbers.value": /^\+49/i });
      expect(await query(`addresses.locality eq "Köln"`)).to.deep.equal({ "addresses.locality": /^Köln$/i });
    });

    it("translates pr on a bare multi-valued attribute to a non-empty array", async () => {
      expect(await query("emails pr")).to.deep.equal({ emails: PRESENT });
    });

    it("matches any element for ne and pr on a sub-attribute [$elemMatch]", async () => {
      expect(await query(`emails.type ne "work"`)).to.deep.equal({ emails: { $elemMatch: { type: { $not: /^work$/i } } } });
      expect(await query("emails.type pr")).to.deep.equal({ emails: { $elemMatch: { type: PRESENT } } });
    });

    it("compares a boolean sub-attribute [emails.primary]", async () => {
      expect(await query("emails.primary eq true")).to.deep.equal({ "emails.primary": true });
    });
  });

  describe("value paths", () => {
    it("translates a value path with a logical filter to $elemMatch with element-relative fields", async () => {
      expect(await query(`emails[type eq "work" and value co "@x.com"]`)).to.deep.equal({
        emails: { $elemMatch: { $and: [{ type: /^work$/i }, { value: /@x\.com/i }] } },
      });
    });

    it("translates a single-comparison value path to a dotted path [FerretDB-compatible]", async () => {
      expect(await query(`emails[type eq "work"]`)).to.deep.equal({ "emails.type": /^work$/i });
      expect(await query(`emails[value eq "A@B.com"]`)).to.deep.equal({ emailKeys: "a@b.com" });
    });

    it("translates a value path followed by a sub-attribute comparison and adds the emailKeys hint", async () => {
      expect(await query(`emails[type eq "work"].value eq "A@B.com"`)).to.deep.equal({
        $and: [{ emailKeys: "a@b.com" }, { emails: { $elemMatch: { $and: [{ type: /^work$/i }, { value: /^A@B\.com$/i }] } } }],
      });
    });

    it("adds no emailKeys hint inside a not", async () => {
      expect(await query(`not (emails[type eq "work"].value eq "a@b.com")`)).to.deep.equal({
        $nor: [{ emails: { $elemMatch: { $and: [{ type: /^work$/i }, { value: /^a@b\.com$/i }] } } }],
      });
    });

    it("adds no emailKeys hint when value eq is only one branch of an or", async () => {
      expect(await query(`emails[type eq "work" or value eq "a@b.com"]`)).to.deep.equal({
        emails: { $elemMatch: { $or: [{ type: /^work$/i }, { value: /^a@b\.com$/i }] } },
      });
    });

    it("adds the emailKeys hint for a value eq nested in an and inside the brackets", async () => {
      expect(await query(`emails[(value eq "a@b.com" and primary eq true) and type eq "work"]`)).to.deep.equal({
        $and: [
          { emailKeys: "a@b.com" },
          { emails: { $elemMatch: { $and: [{ $and: [{ value: /^a@b\.com$/i }, { primary: true }] }, { type: /^work$/i }] } } },
        ],
      });
    });

    it("translates not, or and pr inside the brackets relative to the element", async () => {
      expect(await query(`addresses[not (type eq "work") and (postalCode pr or country eq "DE")]`)).to.deep.equal({
        addresses: { $elemMatch: { $and: [{ $nor: [{ type: /^work$/i }] }, { $or: [{ postalCode: PRESENT }, { country: /^DE$/i }] }] } },
      });
    });

    it("matches sub-attribute names inside brackets case-insensitively [Type, VALUE]", async () => {
      expect(await query(`Emails[Type eq "work" and VALUE ew ".org"]`)).to.deep.equal({
        emails: { $elemMatch: { $and: [{ type: /^work$/i }, { value: /\.org$/i }] } },
      });
    });

    it("resolves a URN-prefixed value path", async () => {
      expect(await query(`${CORE_USER}:emails[type eq "work"]`)).to.deep.equal({ "emails.type": /^work$/i });
    });

    it("rejects an unknown sub-attribute inside brackets", async () => {
      expect((await queryError(`emails[kind eq "work" and value pr]`)).message).to.match(/unknown attribute "emails.kind"/);
    });

    it("rejects brackets on an attribute that is not multi-valued", async () => {
      expect((await queryError(`userName[value eq "a"]`)).message).to.match(/not a multi-valued attribute/);
    });
  });

  describe("group attributes", () => {
    const groupIdsWithMember = async (userId: string) => [`g-of-${userId}`, "g-2"];

    it("translates displayName eq on a group to its shadow key", async () => {
      expect(await query(`displayName eq "Ops"`, GROUP_ATTRIBUTES)).to.deep.equal({ displayNameKey: "ops" });
    });

    it("resolves the Roster group manager to roster.manager.value", async () => {
      expect(await query(`${ROSTER_GROUP}:manager.value eq "U-1"`, GROUP_ATTRIBUTES)).to.deep.equal({ "roster.manager.value": "U-1" });
    });

    it("rejects user attributes on groups", async () => {
      expect((await queryError(`userName eq "a"`, GROUP_ATTRIBUTES)).message).to.match(/unknown attribute/);
    });

    it("joins members.value eq through the resolver", async () => {
      const asked: string[] = [];
      const resolvers = { groupIdsWithMember: async (userId: string) => (asked.push(userId), groupIdsWithMember(userId)) };
      expect(await query(`members.value eq "U-1"`, GROUP_ATTRIBUTES, resolvers)).to.deep.equal({ _id: { $in: ["g-of-U-1", "g-2"] } });
      expect(asked).to.deep.equal(["U-1"]);
    });

    it("joins members[value eq] and bare members eq the same way", async () => {
      const expected = { _id: { $in: ["g-of-u", "g-2"] } };
      expect(await query(`members[value eq "u"]`, GROUP_ATTRIBUTES, { groupIdsWithMember })).to.deep.equal(expected);
      expect(await query(`members eq "u"`, GROUP_ATTRIBUTES, { groupIdsWithMember })).to.deep.equal(expected);
    });

    it("combines a members join with other conditions and not", async () => {
      expect(await query(`displayName sw "eng" and not (members.value eq "u")`, GROUP_ATTRIBUTES, { groupIdsWithMember })).to.deep.equal({
        $and: [{ displayNameKey: /^eng/ }, { $nor: [{ _id: { $in: ["g-of-u", "g-2"] } }] }],
      });
    });

    it("rejects other operators and sub-attributes on members [co, pr, display, logical brackets]", async () => {
      for (const text of [`members.value co "u"`, "members pr", `members.display eq "Bob"`, `members[value eq "u" and type eq "User"]`, `members[value ne "u"]`]) {
        expect((await queryError(text, GROUP_ATTRIBUTES, { groupIdsWithMember })).message, text).to.equal("members can only be filtered with eq on value");
      }
    });

    it("throws a programmer error when the members resolver is missing", async () => {
      let caught: unknown;
      await query(`members.value eq "u"`, GROUP_ATTRIBUTES).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(TypeError).and.not.to.be.instanceOf(FilterError);
    });
  });
});

describe("filterToMongo [server without document $elemMatch]", () => {
  const withoutElemMatch = (text: string) => filterToMongo(parseFilter(text), USER_ATTRIBUTES, {}, { elemMatchDocuments: false });

  it("translates Entra's value-path lookup to dotted conditions instead of $elemMatch", async () => {
    const query = await withoutElemMatch('emails[type eq "work"].value eq "A@X.com"');
    expect(JSON.stringify(query)).to.not.contain("$elemMatch");
    expect(query).to.deep.equal({ $and: [{ "emails.type": /^work$/i }, { emailKeys: "a@x.com" }] });
  });

  it("keeps $elemMatch for the same filter when the server supports it", async () => {
    const query = await filterToMongo(parseFilter('emails[type eq "work"].value eq "a@x.com"'), USER_ATTRIBUTES);
    expect(JSON.stringify(query)).to.contain("$elemMatch");
  });

  it("translates ne on a multi-valued sub-attribute without $elemMatch", async () => {
    const query = await withoutElemMatch('emails.type ne "home"');
    expect(JSON.stringify(query)).to.not.contain("$elemMatch");
  });
});
