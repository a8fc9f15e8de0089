/** The parts of express 4's router layers that name a route and where a router is mounted. */
export interface ExpressLayer {
  route?: { path: string | string[]; methods?: Record<string, boolean> };
  handle: { stack?: ExpressLayer[] };
  regexp: RegExp & { fast_slash?: boolean };
  keys: Array<{ name: string }>;
}

/** One route an app serves: express's route object, and its full patterns (`/scim/v2/Users/:id`). */
export interface ExpressRoute {
  route: NonNullable<ExpressLayer["route"]>;
  paths: string[];
}

/** Every route of a router stack with the paths its routers are mounted at; the layers do not keep the full pattern. */
export function expressRoutes(stack: ExpressLayer[], prefix = ""): ExpressRoute[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return [{ route: layer.route, paths: paths.map((path) => `${prefix}${path}`.replace(/(.)\/$/, "$1")) }];
    }
    return layer.handle.stack ? expressRoutes(layer.handle.stack, prefix + mountPath(layer)) : [];
  });
}

/** The path a router is mounted at, from express 4's layer regexp (`/tenants/:tenant`). */
function mountPath(layer: ExpressLayer): string {
  if (layer.regexp.fast_slash) return "";
  let key = 0;
  return layer.regexp.source
    .replace(/^\^/, "")
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, "")
    .replace(/\(\?:\\\/\(\[\^\\?\/\]\+\?\)\)/g, () => `/:${layer.keys[key++]?.name ?? "param"}`)
    .replace(/\\(.)/g, "$1");
}
