import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Express } from "express";
import pino from "pino";
import { loadConfig } from "../../src/config/load-config";
import { ADMIN_ROLES, roleAtLeast, type AdminRole } from "../../src/domain/admin-access";
import { createApp } from "../../src/http/create-app";
import { findRouteRole, ROUTE_ROLES } from "../../src/http/admin/route-roles";
import { createTenant } from "../../src/services/tenant-admin";
import { deleteTenantCascade } from "../../src/store/tenant-store";
import { admin } from "../support/admin";
import { appRoutes, type ExpressLayer } from "../support/app-routes";
import { sharedTestServer } from "../support/shared-server";
import { ADMIN_TOKEN, type HttpResult, type TestServer } from "../support/test-server";

/**
 * Issue #13: every admin route × every role, over HTTP, allowed and refused, in and out of
 * scope. The routes are the ones the real express app serves (not a copied list), so a new
 * route without a row in src/http/admin/route-roles.ts fails here.
 */
const ADMIN_PREFIX = "/admin/v1";

/** `METHOD /path/{param}` of every route the app serves under /admin/v1. */
function servedAdminRoutes(): Array<{ method: string; path: string }> {
  const config = loadConfig({}, { port: 0, adminToken: ADMIN_TOKEN });
  const app: Express = createApp(config, pino({ level: "silent" }));
  return appRoutes((app as unknown as { _router: { stack: ExpressLayer[] } })._router.stack)
    .map((route) => {
      const [method, path] = route.split(" ");
      return { method: method.toUpperCase(), path };
    })
    .filter((route) => route.path.startsWith(`${ADMIN_PREFIX}/`))
    .map((route) => ({ method: route.method, path: route.path.slice(ADMIN_PREFIX.length) }));
}

const ROUTES = servedAdminRoutes();

/** A concrete path for a route: the tenant given, every other parameter an id that exists nowhere. */
function concrete(path: string, tenant: string): string {
  return path.replace(/\{(\w+)\}/g, (_whole, name: string) => (name === "tenant" ? tenant : `no-such-${name}`));
}

interface Caller {
  label: string;
  role: AdminRole;
  all: boolean;
  token: string;
}

const hiddenBody = (tenant: string) => ({ status: 404, detail: `Tenant ${tenant} not found`, errors: [] });

describe("admin role table (src/http/admin/route-roles.ts)", () => {
  let server: TestServer;
  let inside: string;
  let outside: string;
  const callers: Caller[] = [];
  const administratorIds: string[] = [];
  const tenants: string[] = [];

  async function newTenantId(): Promise<string> {
    const id = `roles-${randomUUID().slice(0, 8)}`;
    await createTenant(id, undefined);
    tenants.push(id);
    return id;
  }

  before(async () => {
    server = await sharedTestServer();
    inside = await newTenantId();
    outside = await newTenantId();
    for (const role of ADMIN_ROLES) {
      for (const all of [false, true]) {
        const created = await admin(server, "POST", "/administrators", { name: `${role} of ${all ? "all" : inside}`, role, tenants: all ? ["*"] : [inside] });
        expect(created.status, JSON.stringify(created.body)).to.equal(201);
        administratorIds.push(created.body.id);
        callers.push({ label: `${role}${all ? "[*]" : `[${inside}]`}`, role, all, token: created.body.token });
      }
    }
    callers.push({ label: "root", role: "owner", all: true, token: ADMIN_TOKEN });
  });

  after(async () => {
    for (const id of administratorIds) await admin(server, "DELETE", `/administrators/${id}`);
    await Promise.all(tenants.map((id) => deleteTenantCascade(id)));
  });

  it("has a row for every admin route the app serves", () => {
    expect(ROUTES.length).to.be.greaterThan(20);
    const missing = ROUTES.filter((route) => !findRouteRole(route.method, concrete(route.path, "t")));
    expect(missing, "served admin routes without a row in ROUTE_ROLES").to.deep.equal([]);
  });

  it("keeps the issue's rules: reads are for viewers, changes for managers or above, tenants and administrators for owners of every tenant", () => {
    for (const row of ROUTE_ROLES) {
      const where = `${row.method} ${row.path}`;
      if (row.path.startsWith("/administrators") || (/^\/tenants(\/:tenant)?$/.test(row.path) && row.method !== "GET")) expect(row, where).to.include({ role: "owner", allTenants: true });
      else if (row.method === "GET" || row.changesNothing) expect(row.role, where).to.equal("viewer");
      else expect(roleAtLeast(row.role, "manager"), where).to.equal(true);
    }
  });

  for (const route of ROUTES) {
    it(`enforces its row over HTTP for every role, in and out of scope [${route.method} ${route.path}]`, async () => {
      const row = findRouteRole(route.method, concrete(route.path, "t"))?.row;
      expect(row, "a row for this route").to.not.equal(undefined);
      const namesTenant = route.path.includes("{tenant}");
      const body = route.method === "POST" || route.method === "PUT" ? {} : undefined;
      const failures: string[] = [];
      const check = (caller: Caller, where: string, answer: HttpResult, expected: "allowed" | "refused" | "hidden") => {
        const got = answer.status === 403 ? "refused" : answer.status === 404 && JSON.stringify(answer.body) === JSON.stringify(hiddenBody(where)) ? "hidden" : answer.status === 401 ? "unauthenticated" : "allowed";
        if (got !== expected) failures.push(`${caller.label} on ${where}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`);
        if (expected === "refused" && !String(answer.body?.detail).includes(`needs the ${row!.role} role`)) failures.push(`${caller.label}: 403 does not name the role ${row!.role}: ${answer.body?.detail}`);
      };
      for (const caller of callers) {
        const mayByRole = roleAtLeast(caller.role, row!.role) && (!row!.allTenants || caller.all);
        // in scope: a scoped administrator's own tenant; for administrators of every tenant a fresh
        // one per call, so an allowed DELETE /tenants/{tenant} deletes nothing another call needs
        const tenant = namesTenant ? (caller.all ? await newTenantId() : inside) : "";
        const answer = await admin(server, route.method, concrete(route.path, tenant), body, caller.token);
        check(caller, tenant, answer, mayByRole ? "allowed" : "refused");
        if (namesTenant && !caller.all) {
          // out of scope: answered exactly as a tenant that does not exist, whatever the role
          const hidden = await admin(server, route.method, concrete(route.path, outside), body, caller.token);
          check(caller, outside, hidden, "hidden");
        }
      }
      if (namesTenant) {
        // …which is what root gets for a tenant that does not exist
        const unknown = `no-such-${randomUUID().slice(0, 8)}`;
        const answer = await admin(server, route.method, concrete(route.path, unknown), body);
        expect(answer.body, "root on an unknown tenant").to.deep.equal(hiddenBody(unknown));
      }
      expect(failures).to.deep.equal([]);
    });
  }

  it("closes a path no row covers to everyone but owners of every tenant, answering as an unknown path", async () => {
    const viewer = callers.find((caller) => caller.role === "viewer" && !caller.all)!;
    for (const path of ["/nothing-here", `/tenants/${inside}/nothing-here`, `/tenants/${outside}/nothing-here`]) {
      const answer = await admin(server, "GET", path, undefined, viewer.token);
      expect(answer.status, path).to.equal(404);
      expect(answer.body.detail, path).to.equal(`No admin endpoint at ${path}`);
    }
    const root = await admin(server, "GET", "/nothing-here");
    expect(root.status).to.equal(404);
  });

  it("matches paths as express does [case, trailing slash, encoded tenant]", async () => {
    const viewer = callers.find((caller) => caller.role === "viewer" && !caller.all)!;
    expect((await admin(server, "GET", `/tenants/${inside}/POLICY/`, undefined, viewer.token)).status).to.equal(200);
    expect((await admin(server, "PUT", `/TENANTS/${inside}/policy`, {}, viewer.token)).status).to.equal(403);
    const encoded = inside.replace(/-/, "%2D");
    expect((await admin(server, "GET", `/tenants/${encoded}/policy`, undefined, viewer.token)).status).to.equal(200);
    const outsideEncoded = outside.replace(/-/, "%2D");
    expect((await admin(server, "GET", `/tenants/${outsideEncoded}/policy`, undefined, viewer.token)).body).to.deep.equal(hiddenBody(outside));
    expect((await admin(server, "GET", "/tenants/%E0%A4%A/policy", undefined, viewer.token)).status).to.equal(404);
  });
});
