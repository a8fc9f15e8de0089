/**
 * The routes an express 4 app really serves, read from its router stack: the OpenAPI test
 * compares them with the description, the role walk (test/admin/route-roles.test.ts) with the role table.
 */
export interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: ExpressLayer[] };
  regexp: RegExp & { fast_slash?: boolean };
  keys: Array<{ name: string }>;
}

/** The path a router is mounted at, from express 4's layer regexp (`/tenants/:tenant` → `/tenants/{tenant}`). */
function mountPath(layer: ExpressLayer): string {
  if (layer.regexp.fast_slash) return "";
  let key = 0;
  return layer.regexp.source
    .replace(/^\^/, "")
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, "")
    .replace(/\(\?:\\\/\(\[\^\\?\/\]\+\?\)\)/g, () => `\\/{${layer.keys[key++].name}}`)
    .replace(/\\(.)/g, "$1");
}

/** `method path` of every route of the app; express's `all` routes (the 405 answers of discovery) are left out. */
export function appRoutes(stack: ExpressLayer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) => Object.keys(layer.route!.methods).filter((method) => method !== "_all").map((method) => `${method} ${`${prefix}${path}`.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`));
    }
    return layer.handle.stack ? appRoutes(layer.handle.stack, prefix + mountPath(layer)) : [];
  });
}

