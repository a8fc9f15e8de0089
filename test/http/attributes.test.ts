import { expect } from "chai";
import { userBody, type TestServer } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { CORE_USER, ENTERPRISE } from "../support/urns";

describe("attributes and excludedAttributes (RFC 7644 §3.4.2.5)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("GET /Users", () => {
    it("returns only the requested attributes plus id and schemas [attributes]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "attr.user", { displayName: "Attr User", [ENTERPRISE]: { department: "Sales" } });
      const listed = await list(tenant, "/Users?attributes=userName");
      const [user] = listed.Resources;
      expect(user.userName).to.equal("attr.user");
      expect(user.id).to.be.a("string");
      expect(user).not.to.have.property("emails");
      expect(user).not.to.have.property("displayName");
      expect(user).not.to.have.property("name");
    });

    it("returns a sub-attribute and an extension attribute by URN [attributes]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "attr.user", { [ENTERPRISE]: { department: "Sales", employeeNumber: "7" } });
      const listed = await list(tenant, `/Users?attributes=name.givenName,${ENTERPRISE}:department`);
      const [user] = listed.Resources;
      expect(user.name).to.deep.equal({ givenName: "Given" });
      expect(user[ENTERPRISE]).to.deep.equal({ department: "Sales" });
      expect(user).not.to.have.property("userName");
      expect(user.schemas).to.deep.equal([CORE_USER, ENTERPRISE]);
    });

    it("returns the named sub-attribute of every element of a multi-valued attribute [emails.value]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "attr.user", { emails: [{ value: "a@x.example", type: "work" }, { value: "b@x.example", type: "home" }] });
      const listed = await list(tenant, "/Users?attributes=emails.value,urn:ietf:params:scim:schemas:core:2.0:User:userName");
      expect(listed.Resources[0].emails).to.deep.equal([{ value: "a@x.example" }, { value: "b@x.example" }]);
      expect(listed.Resources[0].userName).to.equal("attr.user");
    });

    it("leaves out an extension and its schema URN [excludedAttributes=<extension URN>]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "attr.user", { [ENTERPRISE]: { department: "Sales" } });
      const listed = await list(tenant, `/Users?excludedAttributes=${ENTERPRISE}`);
      const [user] = listed.Resources;
      expect(user).not.to.have.property(ENTERPRISE);
      expect(user.schemas).to.deep.equal([CORE_USER]);
      expect(user.userName).to.equal("attr.user");
    });

    it("returns only id and schemas for an unknown attribute rather than failing", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "attr.user");
      const listed = await list(tenant, "/Users?attributes=noSuchAttribute");
      expect(listed.Resources).to.deep.equal([{ schemas: [CORE_USER], id: created.id }]);
    });

    it("never excludes id [excludedAttributes=id]", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "attr.user");
      const listed = await list(tenant, "/Users?excludedAttributes=id,emails");
      expect(listed.Resources[0].id).to.equal(created.id);
      expect(listed.Resources[0]).not.to.have.property("emails");
    });

    it("leaves out the excluded attributes [excludedAttributes]", async () => {
      const tenant = await freshTenant(server);
      await createUser(tenant, "attr.user", { displayName: "Attr User" });
      const listed = await list(tenant, "/Users?excludedAttributes=emails,name");
      const [user] = listed.Resources;
      expect(user.userName).to.equal("attr.user");
      expect(user.displayName).to.equal("Attr User");
      expect(user).not.to.have.property("emails");
      expect(user).not.to.have.property("name");
    });
  });

  describe("GET /Users/:id", () => {
    it("applies attributes to a single resource", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "attr.user", { displayName: "Attr User" });
      const read = await tenant.scim("GET", `/Users/${created.id}?attributes=displayName`);
      expect(read.status).to.equal(200);
      expect(read.body.displayName).to.equal("Attr User");
      expect(read.body.id).to.equal(created.id);
      expect(read.body).not.to.have.property("userName");
      expect(read.headers.get("etag")).to.equal(created.meta.version);
    });

    it("keeps the ETag header when meta is excluded [excludedAttributes=meta]", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "attr.user");
      const read = await tenant.scim("GET", `/Users/${created.id}?excludedAttributes=meta`);
      expect(read.status).to.equal(200);
      expect(read.body).not.to.have.property("meta");
      expect(read.headers.get("etag")).to.equal(created.meta.version);
    });

    it("applies attributes to the response of a write [PUT ?attributes=userName]", async () => {
      const tenant = await freshTenant(server);
      const created = await createUser(tenant, "attr.user");
      const replaced = await tenant.scim("PUT", `/Users/${created.id}?attributes=userName`, userBody("attr.user", { displayName: "New" }));
      expect(replaced.status).to.equal(200);
      expect(replaced.body).to.deep.equal({ schemas: [CORE_USER], id: created.id, userName: "attr.user" });
    });

    it("answers a user's groups exactly when the selection keeps them, the same by id and by filter [groups]", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "grouped.user");
      await createUser(tenant, "other.user");
      const first = await createGroup(tenant, "First Group", [user.id]);
      const second = await createGroup(tenant, "Second Group", [user.id]);
      const full = await tenant.scim("GET", `/Users/${user.id}`);
      expect(full.status).to.equal(200);
      const groups = [...full.body.groups].sort((a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value));
      const expected = [{ value: first.id, display: "First Group" }, { value: second.id, display: "Second Group" }].sort((a, b) => a.value.localeCompare(b.value));
      expect(groups.map(({ value, display }: { value: string; display: string }) => ({ value, display }))).to.deep.equal(expected);
      const selections: Array<[string, boolean]> = [
        ["", true],
        ["attributes=groups", true],
        ["attributes=groups.display", true],
        ["attributes=userName,groups", true],
        ["excludedAttributes=userName", true],
        ["attributes=userName", false],
        ["excludedAttributes=groups", false],
        ["excludedAttributes=groups,emails", false],
      ];
      for (const [selection, keepsGroups] of selections) {
        const byId = await tenant.scim("GET", `/Users/${user.id}${selection ? `?${selection}` : ""}`);
        const listed = await list(tenant, `/Users${filterQuery('userName eq "grouped.user"', selection)}`);
        for (const [how, body] of [["by id", byId.body], ["by filter", listed.Resources[0]]] as const) {
          expect(body.id, `${how} ${selection}`).to.equal(user.id);
          if (!keepsGroups) expect(body, `${how} ${selection}`).not.to.have.property("groups");
          else expect(body.groups, `${how} ${selection}`).to.have.deep.members(full.body.groups.map((group: Record<string, unknown>) => (selection.includes("groups.display") ? { display: group.display } : group)));
        }
        expect(byId.body, selection).to.deep.equal(listed.Resources[0]);
      }
    });
  });

  describe("GET /Groups", () => {
    it("leaves out members when filtering by displayName [Entra excludedAttributes=members]", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "member.one");
      await createGroup(tenant, "Entra Group", [user.id]);
      await createGroup(tenant, "Other Group", [user.id]);
      const listed = await list(tenant, `/Groups${filterQuery('displayName eq "Entra Group"', "excludedAttributes=members")}`);
      expect(listed.totalResults).to.equal(1);
      const [group] = listed.Resources;
      expect(group.displayName).to.equal("Entra Group");
      expect(group.id).to.be.a("string");
      expect(group).not.to.have.property("members");
    });

    it("includes members by default", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "member.one");
      await createGroup(tenant, "With Members", [user.id]);
      const listed = await list(tenant, "/Groups");
      expect(listed.Resources[0].members.map((member: { value: string }) => member.value)).to.deep.equal([user.id]);
    });

    it("returns members when they are asked for [attributes=members]", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "member.one");
      await createGroup(tenant, "With Members", [user.id]);
      const listed = await list(tenant, "/Groups?attributes=members");
      expect(listed.Resources[0].members.map((member: { value: string }) => member.value)).to.deep.equal([user.id]);
      expect(listed.Resources[0]).not.to.have.property("displayName");
    });
  });

  describe("GET /Groups/:id", () => {
    it("leaves out members [Entra excludedAttributes=members]", async () => {
      const tenant = await freshTenant(server);
      const user = await createUser(tenant, "member.one");
      const group = await createGroup(tenant, "Entra Group", [user.id]);
      const read = await tenant.scim("GET", `/Groups/${group.id}?excludedAttributes=members`);
      expect(read.status).to.equal(200);
      expect(read.body.displayName).to.equal("Entra Group");
      expect(read.body).not.to.have.property("members");
      expect(read.headers.get("etag")).to.equal(read.body.meta.version);
    });
  });
});

describe("attributes and excludedAttributes with value paths (RFC 7644 §3.4.2.5)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  const EMAILS = [
    { value: "w1@x.example", type: "work", primary: true },
    { value: "h1@x.example", type: "home" },
    { value: "w2@x.example", type: "Work" },
    { value: "o1@x.example", type: "other, with comma" },
  ];
  const FILTERS: Array<[string, (email: (typeof EMAILS)[number]) => boolean]> = [
    ['type eq "work"', (email) => email.type.toLowerCase() === "work"],
    ['type ne "work"', (email) => email.type.toLowerCase() !== "work"],
    ["primary pr", (email) => email.primary === true],
    ['value sw "w" and not (primary eq true)', (email) => email.value.startsWith("w") && email.primary !== true],
    ['type eq "other, with comma" or type eq "home"', (email) => email.type === "other, with comma" || email.type === "home"],
    ['type eq "nothing"', () => false],
  ];

  it("projects exactly the matching elements, and excluding them leaves exactly the others [every filter, GET by id and list]", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "value.paths", { emails: EMAILS, displayName: "Value Paths" });
    for (const [filter, matches] of FILTERS) {
      const path = encodeURIComponent(`emails[${filter}]`);
      const expected = EMAILS.filter(matches);
      const others = EMAILS.filter((email) => !matches(email));
      const selected = await tenant.scim("GET", `/Users/${created.id}?attributes=${path}`);
      expect(selected.status, JSON.stringify(selected.body)).to.equal(200);
      expect(selected.body.emails ?? [], filter).to.deep.equal(expected);
      expect(selected.body).to.not.have.property("userName");
      const listed = await list(tenant, `/Users?attributes=${path}`);
      expect(listed.Resources[0]).to.deep.equal(selected.body);

      const excluded = await tenant.scim("GET", `/Users/${created.id}?excludedAttributes=${path}`);
      expect(excluded.status).to.equal(200);
      expect(excluded.body.emails ?? [], filter).to.deep.equal(others);
      expect(excluded.body.displayName).to.equal("Value Paths");

      const values = await tenant.scim("GET", `/Users/${created.id}?attributes=${encodeURIComponent(`emails[${filter}].value`)},userName`);
      expect(values.body.emails ?? [], filter).to.deep.equal(expected.map((email) => ({ value: email.value })));
      expect(values.body.userName).to.equal("value.paths");

      const withoutValues = await tenant.scim("GET", `/Users/${created.id}?excludedAttributes=${encodeURIComponent(`emails[${filter}].value`)}`);
      expect(withoutValues.body.emails, filter).to.deep.equal(EMAILS.map((email) => (matches(email) ? (({ value: _value, ...rest }) => rest)(email) : email)));
    }
  });

  it("combines a value path with a plain path of the same attribute and with URN-qualified names", async () => {
    const tenant = await freshTenant(server);
    const created = await createUser(tenant, "value.mixed", { emails: EMAILS });
    const mixed = await tenant.scim("GET", `/Users/${created.id}?attributes=${encodeURIComponent(`emails.type,urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "home"].value`)}`);
    expect(mixed.status).to.equal(200);
    expect(mixed.body.emails).to.deep.equal(EMAILS.map((email) => (email.type === "home" ? { value: email.value, type: email.type } : { type: email.type })));
  });

  it("answers 400 invalidFilter to a value path that does not parse, before a write happens", async () => {
    const tenant = await freshTenant(server);
    for (const path of ['emails[type eq]', 'emails[type eq "work"', 'emails[type eq "work"]value', 'emails[type eq "work"].value.more', '[type eq "work"]', 'emails[name[type eq "x"]]']) {
      const read = await tenant.scim("GET", `/Users?attributes=${encodeURIComponent(path)}`);
      expectScimError(read, 400, "invalidFilter");
      const created = await tenant.scim("POST", `/Users?attributes=${encodeURIComponent(path)}`, userBody("never.written"));
      expectScimError(created, 400, "invalidFilter");
    }
    expect((await list(tenant, "/Users")).totalResults).to.equal(0);
  });

  it("selects group members by value path [members[value eq id]]", async () => {
    const tenant = await freshTenant(server);
    const one = await createUser(tenant, "member.a");
    const two = await createUser(tenant, "member.b");
    const group = await createGroup(tenant, "Filtered Members", [one.id, two.id]);
    const read = await tenant.scim("GET", `/Groups/${group.id}?attributes=${encodeURIComponent(`members[value eq "${two.id}"].display`)}`);
    expect(read.body.members).to.deep.equal([{ display: "member.b" }]);
  });
});
