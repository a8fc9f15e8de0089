import type { RouteRule } from "../../domain/admin-access";

/** One row of the role table: an express path pattern under /admin/v1, and what calling it needs. */
export interface RouteRole extends RouteRule {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** `:name` matches one path segment; `:tenant` is the tenant the scope check applies to; a final `/*` matches the rest */
  path: string;
  /** a POST that only computes an answer (a plan with choices), so a viewer may call it */
  changesNothing?: true;
}

const viewer = { role: "viewer" } as const;
const manager = { role: "manager" } as const;
const owner = { role: "owner" } as const;
const ownerOfAll = { role: "owner", allTenants: true } as const;
const viewerOfAll = { role: "viewer", allTenants: true } as const;

/**
 * THE role table (issue #13): every admin route, the least role that may call it, and whether
 * only administrators of every tenant (`tenants: ["*"]`) may. viewer reads; manager also
 * offboards and issues or revokes credentials; owner also sets policy, owner, erasure, event
 * subscriptions and organization membership; an owner of ["*"] also manages tenants,
 * organizations and administrators. test/admin/route-roles.test.ts walks every served route ×
 * role over HTTP; a route missing here is answered only to owners of ["*"] (404 to anyone else)
 * and fails that test. Rows for routes not served (yet) change nothing.
 */
export const ROUTE_ROLES: readonly RouteRole[] = [
  { method: "GET", path: "/me", ...viewer },

  { method: "POST", path: "/administrators", ...ownerOfAll },
  { method: "GET", path: "/administrators", ...ownerOfAll },
  { method: "PUT", path: "/administrators/:id", ...ownerOfAll },
  { method: "DELETE", path: "/administrators/:id", ...ownerOfAll },

  { method: "POST", path: "/tenants", ...ownerOfAll },
  // lists only the tenants in the caller's scope
  { method: "GET", path: "/tenants", ...viewer },
  { method: "DELETE", path: "/tenants/:tenant", ...ownerOfAll },

  { method: "GET", path: "/tenants/:tenant/policy", ...viewer },
  { method: "PUT", path: "/tenants/:tenant/policy", ...owner },
  { method: "GET", path: "/tenants/:tenant/owner", ...viewer },
  { method: "PUT", path: "/tenants/:tenant/owner", ...owner },
  { method: "GET", path: "/tenants/:tenant/seats", ...viewer },
  { method: "GET", path: "/tenants/:tenant/audit", ...viewer },

  { method: "GET", path: "/tenants/:tenant/tokens", ...viewer },
  { method: "POST", path: "/tenants/:tenant/tokens", ...manager },
  { method: "DELETE", path: "/tenants/:tenant/tokens/:id", ...manager },
  { method: "GET", path: "/tenants/:tenant/oauth-clients", ...viewer },
  { method: "POST", path: "/tenants/:tenant/oauth-clients", ...manager },
  { method: "DELETE", path: "/tenants/:tenant/oauth-clients/:clientId", ...manager },

  { method: "GET", path: "/tenants/:tenant/users", ...viewer },
  { method: "GET", path: "/tenants/:tenant/users/:id", ...viewer },
  { method: "GET", path: "/tenants/:tenant/users/:id/access", ...viewer },
  { method: "GET", path: "/tenants/:tenant/users/:id/credentials", ...viewer },
  { method: "GET", path: "/tenants/:tenant/users/:id/offboarding-plan", ...viewer },
  { method: "POST", path: "/tenants/:tenant/users/:id/offboarding-plan", ...viewer, changesNothing: true },
  { method: "POST", path: "/tenants/:tenant/users/:id/sessions", ...manager },
  { method: "POST", path: "/tenants/:tenant/users/:id/api-keys", ...manager },
  { method: "POST", path: "/tenants/:tenant/users/:id/deactivate", ...manager },
  { method: "POST", path: "/tenants/:tenant/users/:id/reactivate", ...manager },
  { method: "POST", path: "/tenants/:tenant/users/:id/remove", ...manager },
  { method: "POST", path: "/tenants/:tenant/users/:id/erase", ...owner },

  { method: "GET", path: "/tenants/:tenant/organization", ...viewer },
  // attaching spends another organization's seats and shows its counts: only administrators of every tenant
  { method: "PUT", path: "/tenants/:tenant/organization", ...ownerOfAll },
  // an organization spans tenants: only administrators of every tenant see or change one
  { method: "GET", path: "/organizations", ...viewerOfAll },
  { method: "GET", path: "/organizations/*", ...viewerOfAll },
  { method: "POST", path: "/organizations", ...ownerOfAll },
  { method: "POST", path: "/organizations/*", ...ownerOfAll },
  { method: "PUT", path: "/organizations/*", ...ownerOfAll },
  { method: "DELETE", path: "/organizations/*", ...ownerOfAll },

  // subscriptions, their deliveries and dead letters (a retry is a POST below them)
  { method: "GET", path: "/tenants/:tenant/event-subscriptions", ...viewer },
  { method: "GET", path: "/tenants/:tenant/event-subscriptions/*", ...viewer },
  { method: "POST", path: "/tenants/:tenant/event-subscriptions", ...owner },
  { method: "POST", path: "/tenants/:tenant/event-subscriptions/*", ...owner },
  { method: "PUT", path: "/tenants/:tenant/event-subscriptions/*", ...owner },
  { method: "DELETE", path: "/tenants/:tenant/event-subscriptions/*", ...owner },
];

interface CompiledRow {
  row: RouteRole;
  pattern: RegExp;
  tenantGroup: number | undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** As express 4 matches a route by default: case-insensitive, a trailing slash allowed, `:param` one non-empty segment. */
function compile(row: RouteRole): CompiledRow {
  let group = 0;
  let tenantGroup: number | undefined;
  const rest = row.path.endsWith("/*");
  const segments = (rest ? row.path.slice(0, -2) : row.path).split("/").slice(1);
  const source = segments
    .map((segment) => {
      if (!segment.startsWith(":")) return `/${escape(segment)}`;
      group++;
      if (segment === ":tenant") tenantGroup = group;
      return "/([^/]+?)";
    })
    .join("");
  return { row, pattern: new RegExp(`^${source}${rest ? "/.+" : ""}/?$`, "i"), tenantGroup };
}

const COMPILED = ROUTE_ROLES.map(compile);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // express refuses this path itself; kept raw it is in no scoped administrator's list
    return segment;
  }
}

/** The row a request falls under, with the tenant it names (decoded as express decodes params), or undefined. */
export function findRouteRole(method: string, path: string): { row: RouteRole; tenant: string | undefined } | undefined {
  const verb = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  for (const compiled of COMPILED) {
    if (compiled.row.method !== verb) continue;
    const match = compiled.pattern.exec(path);
    if (match) return { row: compiled.row, tenant: compiled.tenantGroup === undefined ? undefined : decodeSegment(match[compiled.tenantGroup]) };
  }
  return undefined;
}
