import { expressRoutes, type ExpressLayer } from "../../src/http/express-routes";

export type { ExpressLayer };

/**
 * `method path` of every route an express 4 app really serves (`get /tenants/{tenant}`), read
 * from its router stack: the OpenAPI test compares them with the description, the role walk
 * (test/admin/route-roles.test.ts) with the role table. express's `all` routes (the 405 answers
 * of discovery) are left out.
 */
export function appRoutes(stack: ExpressLayer[]): string[] {
  return expressRoutes(stack).flatMap(({ route, paths }) =>
    paths.flatMap((path) => Object.keys(route.methods ?? {}).filter((method) => method !== "_all").map((method) => `${method} ${path.replace(/:(\w+)/g, "{$1}")}`)),
  );
}
