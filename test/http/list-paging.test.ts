import { expect } from "chai";
import { type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, expectScimError, filterQuery, list } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { insertUsersDirectly } from "../support/store";

/** Follows nextCursor from `cursor=` to the last page; returns every page. */
async function walkCursor(tenant: TestTenant, path: string): Promise<any[]> {
  const pages: any[] = [];
  let cursor = "";
  for (let guard = 0; guard < 100; guard++) {
    const separator = path.includes("?") ? "&" : "?";
    const page = await list(tenant, `${path}${separator}cursor=${encodeURIComponent(cursor)}`);
    pages.push(page);
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error("the cursor never ended");
}

describe("GET /Users and /Groups (sorting and paging)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  describe("sortBy", () => {
    it("sorts by userName case-insensitively [ascending]", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["bob", "Alice", "carol", "Dave"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?sortBy=userName&sortOrder=ascending");
      expect(listed.Resources.map((user: { userName: string }) => user.userName)).to.deep.equal(["Alice", "bob", "carol", "Dave"]);
    });

    it("sorts by userName case-insensitively [descending]", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["bob", "Alice", "carol", "Dave"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?sortBy=userName&sortOrder=descending");
      expect(listed.Resources.map((user: { userName: string }) => user.userName)).to.deep.equal(["Dave", "carol", "bob", "Alice"]);
    });

    it("sorts ascending when sortOrder is absent", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["b", "C", "a"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?sortBy=userName");
      expect(listed.Resources.map((user: { userName: string }) => user.userName)).to.deep.equal(["a", "b", "C"]);
    });

    it("sorts groups by displayName", async () => {
      const tenant = await freshTenant(server);
      for (const name of ["beta", "Alpha", "gamma"]) await createGroup(tenant, name);
      const listed = await list(tenant, "/Groups?sortBy=displayName&sortOrder=descending");
      expect(listed.Resources.map((group: { displayName: string }) => group.displayName)).to.deep.equal(["gamma", "beta", "Alpha"]);
    });

    it("answers 400 for an unknown sortBy attribute", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("GET", "/Users?sortBy=noSuchAttribute"), 400, "invalidFilter");
    });
  });

  describe("startIndex and count", () => {
    it("pages in creation order by startIndex without gaps or duplicates [Okta import]", async () => {
      const tenant = await freshTenant(server);
      const created: string[] = [];
      for (let index = 0; index < 5; index++) created.push((await createUser(tenant, `import-${index}`)).id);
      const seen: string[] = [];
      for (let startIndex = 1; startIndex <= 5; startIndex += 2) {
        const page = await list(tenant, `/Users?startIndex=${startIndex}&count=2`);
        expect(page.totalResults).to.equal(5);
        expect(page.startIndex).to.equal(startIndex);
        seen.push(...page.Resources.map((user: { id: string }) => user.id));
      }
      expect(seen).to.deep.equal(created);
    });

    it("returns 100 resources when count is absent [default]", async () => {
      const tenant = await freshTenant(server);
      await insertUsersDirectly(tenant.id, 101);
      const listed = await list(tenant, "/Users");
      expect(listed.totalResults).to.equal(101);
      expect(listed.itemsPerPage).to.equal(100);
      expect(listed.Resources).to.have.length(100);
    });

    it("caps count at 1000 rather than refusing it [count=5000]", async () => {
      const tenant = await freshTenant(server);
      await insertUsersDirectly(tenant.id, 1001);
      const listed = await list(tenant, "/Users?count=5000&attributes=userName");
      expect(listed.totalResults).to.equal(1001);
      expect(listed.itemsPerPage).to.equal(1000);
      expect(listed.Resources).to.have.length(1000);
    });

    it("returns only totalResults for count=0", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["a", "b", "c"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?count=0");
      expect(listed.totalResults).to.equal(3);
      expect(listed.itemsPerPage).to.equal(0);
      expect(listed.Resources).to.deep.equal([]);
    });

    it("treats a startIndex below 1 as 1", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["a", "b"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?startIndex=0");
      expect(listed.startIndex).to.equal(1);
      expect(listed.Resources).to.have.length(2);
    });

    it("returns an empty page past the end with the exact total", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["a", "b"].map((name) => createUser(tenant, name)));
      const listed = await list(tenant, "/Users?startIndex=10&count=5");
      expect(listed.totalResults).to.equal(2);
      expect(listed.Resources).to.deep.equal([]);
    });
  });

  describe("cursor (RFC 9865)", () => {
    it("walks every page from an empty cursor without duplicates or gaps [default order]", async () => {
      const tenant = await freshTenant(server);
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) ids.push((await createUser(tenant, `cursor-${index}`)).id);
      const pages = await walkCursor(tenant, "/Users?count=3");
      expect(pages).to.have.length(3);
      for (const page of pages) {
        expect(page.totalResults).to.equal(7);
        expect(page).not.to.have.property("startIndex");
      }
      expect(pages[2]).not.to.have.property("nextCursor");
      expect(pages.flatMap((page) => page.Resources.map((user: { id: string }) => user.id))).to.deep.equal(ids);
    });

    it("walks every page following sortBy and sortOrder [userName descending]", async () => {
      const tenant = await freshTenant(server);
      const names = ["e", "B", "a", "D", "c"];
      await Promise.all(names.map((name) => createUser(tenant, name)));
      const pages = await walkCursor(tenant, "/Users?sortBy=userName&sortOrder=descending&count=2");
      expect(pages.flatMap((page) => page.Resources.map((user: { userName: string }) => user.userName))).to.deep.equal(["e", "D", "c", "B", "a"]);
    });

    for (const sortOrder of ["ascending", "descending"]) {
      it(`walks across resources with and without the sort attribute [displayName missing, ${sortOrder}]`, async () => {
        const tenant = await freshTenant(server);
        const withName = await Promise.all(["Ann", "Ben"].map((name) => createUser(tenant, name.toLowerCase(), { displayName: name })));
        const withoutName = await Promise.all(["nobody-1", "nobody-2"].map((name) => createUser(tenant, name)));
        const pages = await walkCursor(tenant, `/Users?sortBy=displayName&sortOrder=${sortOrder}&count=1`);
        const seen = pages.flatMap((page) => page.Resources.map((user: { id: string }) => user.id));
        expect(seen).to.have.length(4);
        expect([...seen].sort()).to.deep.equal([...withName, ...withoutName].map((user) => user.id).sort());
      });
    }

    it("walks a filtered listing whose last page is exactly full", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["m1", "m2", "m3", "m4", "x1"].map((name) => createUser(tenant, name)));
      const pages = await walkCursor(tenant, `/Users${filterQuery('userName sw "m"')}&count=2`);
      expect(pages).to.have.length(2);
      expect(pages.flatMap((page) => page.Resources.map((user: { userName: string }) => user.userName)).sort()).to.deep.equal(["m1", "m2", "m3", "m4"]);
    });

    it("walks groups too", async () => {
      const tenant = await freshTenant(server);
      for (const name of ["g1", "g2", "g3"]) await createGroup(tenant, name);
      const pages = await walkCursor(tenant, "/Groups?count=2&sortBy=displayName");
      expect(pages.flatMap((page) => page.Resources.map((group: { displayName: string }) => group.displayName))).to.deep.equal(["g1", "g2", "g3"]);
    });

    it("answers 400 invalidCursor for a cursor issued for another sortBy", async () => {
      const tenant = await freshTenant(server);
      await Promise.all(["a", "b", "c"].map((name) => createUser(tenant, name)));
      const first = await list(tenant, "/Users?sortBy=userName&count=1&cursor=");
      expect(first.nextCursor).to.be.a("string");
      expectScimError(await tenant.scim("GET", `/Users?sortBy=displayName&count=1&cursor=${encodeURIComponent(first.nextCursor)}`), 400, "invalidCursor");
      expectScimError(await tenant.scim("GET", `/Users?sortBy=userName&sortOrder=descending&count=1&cursor=${encodeURIComponent(first.nextCursor)}`), 400, "invalidCursor");
    });

    it("answers 400 invalidCursor for a cursor that is not one", async () => {
      const tenant = await freshTenant(server);
      expectScimError(await tenant.scim("GET", "/Users?cursor=not-a-cursor"), 400, "invalidCursor");
    });
  });
});
