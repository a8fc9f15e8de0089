/**
 * Named administrators (SPEC §11, issue #13): who may do what in which tenants. Pure rules;
 * the HTTP layer looks a route's rule up in src/http/admin/route-roles.ts and asks here.
 */

/** The roles, weakest first: each may do everything the ones before it may. */
export const ADMIN_ROLES = ["viewer", "manager", "owner"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** `tenants: ["*"]` means every tenant, present and future. */
export const ALL_TENANTS = "*";

/** An authenticated administrator, as `locals(res).admin` and GET /admin/v1/me show it. */
export interface AdminIdentity {
  id: string;
  name: string;
  role: AdminRole;
  tenants: string[];
}

/** ROSTER_ADMIN_TOKEN: the bootstrap credential, an owner of every tenant. */
export const ROOT_ADMIN: Readonly<AdminIdentity> = Object.freeze({ id: "root", name: "root", role: "owner", tenants: Object.freeze([ALL_TENANTS]) as string[] });

/** What a route needs: a minimum role, and whether only administrators of every tenant may call it. */
export interface RouteRule {
  role: AdminRole;
  allTenants?: boolean;
}

export type AdminAccess =
  | { outcome: "allowed" }
  /** the tenant is outside the administrator's scope: answered as an unknown tenant */
  | { outcome: "hidden" }
  | { outcome: "refused"; detail: string };

/** The audit actor of an administrator's actions (SPEC §5): `admin:<id>`, `admin:root` for the bootstrap token. */
export function adminActor(admin: Pick<AdminIdentity, "id">): string {
  return `admin:${admin.id}`;
}

export function hasAllTenants(admin: Pick<AdminIdentity, "tenants">): boolean {
  return admin.tenants.includes(ALL_TENANTS);
}

export function inScope(admin: Pick<AdminIdentity, "tenants">, tenant: string): boolean {
  return hasAllTenants(admin) || admin.tenants.includes(tenant);
}

export function roleAtLeast(role: AdminRole, needed: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(role) >= ADMIN_ROLES.indexOf(needed);
}

/**
 * May this administrator call a route with this rule, on this tenant (undefined: the route
 * names none)? Scope is decided first, so a tenant outside it is never disclosed, whatever
 * the role (issue #13: 404 as for an unknown tenant); then the role, naming the one needed.
 */
export function decideAdminAccess(admin: AdminIdentity, rule: RouteRule, tenant: string | undefined): AdminAccess {
  if (tenant !== undefined && !inScope(admin, tenant)) return { outcome: "hidden" };
  if (!roleAtLeast(admin.role, rule.role)) {
    const scope = rule.allTenants ? " of all tenants (tenants [\"*\"])" : "";
    return { outcome: "refused", detail: `This action needs the ${rule.role} role${scope}; administrator ${admin.name} is ${admin.role}` };
  }
  if (rule.allTenants && !hasAllTenants(admin)) {
    return { outcome: "refused", detail: `This action needs the ${rule.role} role of all tenants (tenants ["*"]); administrator ${admin.name} is ${admin.role} of ${admin.tenants.join(", ")}` };
  }
  return { outcome: "allowed" };
}
