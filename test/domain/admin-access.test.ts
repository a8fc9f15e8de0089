import { expect } from "chai";
import fc from "fast-check";
import { ADMIN_ROLES, ROOT_ADMIN, adminActor, decideAdminAccess, inScope, roleAtLeast, type AdminIdentity } from "../../src/domain/admin-access";

const someone = (role: AdminIdentity["role"], tenants: string[]): AdminIdentity => ({ id: "a1", name: "Ada", role, tenants });

describe("decideAdminAccess", () => {
  it("hides a tenant outside the scope whatever the role [even an owner]", () => {
    expect(decideAdminAccess(someone("owner", ["acme"]), { role: "viewer" }, "globex")).to.deep.equal({ outcome: "hidden" });
  });

  it("refuses a role below the route's, naming the role needed", () => {
    const access = decideAdminAccess(someone("viewer", ["acme"]), { role: "manager" }, "acme");
    expect(access.outcome).to.equal("refused");
    expect(access.outcome === "refused" && access.detail).to.include("needs the manager role");
  });

  it("refuses an owner of some tenants a route for owners of every tenant", () => {
    const access = decideAdminAccess(someone("owner", ["acme"]), { role: "owner", allTenants: true }, undefined);
    expect(access.outcome === "refused" && access.detail).to.include('owner role of all tenants (tenants ["*"])');
    expect(decideAdminAccess(someone("owner", ["*"]), { role: "owner", allTenants: true }, undefined)).to.deep.equal({ outcome: "allowed" });
  });

  it("allows exactly when in scope, the role is high enough and, if asked, the scope is every tenant [property]", () => {
    const tenant = fc.constantFrom("acme", "globex", "initech");
    const role = fc.constantFrom(...ADMIN_ROLES);
    fc.assert(
      fc.property(role, fc.oneof(fc.constant<string[]>(["*"]), fc.uniqueArray(tenant, { minLength: 1 }).map((list): string[] => list)), role, fc.boolean(), fc.option(tenant, { nil: undefined }), (mine, tenants, needed, allTenants, target) => {
        const admin = someone(mine, tenants);
        const expected = target !== undefined && !inScope(admin, target) ? "hidden" : roleAtLeast(mine, needed) && (!allTenants || tenants.includes("*")) ? "allowed" : "refused";
        expect(decideAdminAccess(admin, { role: needed, allTenants }, target).outcome).to.equal(expected);
      }),
    );
  });

  it("treats root as an owner of every tenant, audited as admin:root", () => {
    expect(decideAdminAccess({ ...ROOT_ADMIN }, { role: "owner", allTenants: true }, "anything")).to.deep.equal({ outcome: "allowed" });
    expect(adminActor(ROOT_ADMIN)).to.equal("admin:root");
  });
});
