import type { Express, Request } from "express";
import { RouteSeries, unmatchedRequests } from "../metrics/request-metrics";

/** The parts of express 4's router layers that name a route and where a router is mounted. */
interface ExpressLayer {
  route?: { path: string | string[] };
  handle: { stack?: ExpressLayer[] };
  regexp: RegExp & { fast_slash?: boolean };
  keys: Array<{ name: string }>;
}

/**
 * The request metrics' route label of every express route: its full pattern
 * (`/scim/v2/Users/:id`), never the raw path, so the series stay bounded whatever
 * clients send. Learnt once from the finished app; a request is then labelled by the
 * route object express matched (`req.route`), one Map lookup.
 */
export class RouteTable {
  private readonly series = new Map<unknown, RouteSeries>();

  /** Reads every route of the app and the paths its routers are mounted at. */
  learn(app: Express): void {
    const router = (app as unknown as { _router?: { stack: ExpressLayer[] } })._router;
    if (router) this.walk(router.stack, "");
  }

  /** The series a finished request counts in: its route's, or the one of requests no route matched. */
  seriesOf(req: Request): RouteSeries {
    return (req.route && this.series.get(req.route)) || unmatchedRequests;
  }

  private walk(stack: ExpressLayer[], prefix: string): void {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        this.series.set(layer.route, new RouteSeries(paths.map((path) => `${prefix}${path}`.replace(/(.)\/$/, "$1")).join("|")));
      } else if (layer.handle.stack) {
        this.walk(layer.handle.stack, prefix + mountPath(layer));
      }
    }
  }
}

/** The path a router is mounted at, from express 4's layer regexp (`/tenants/:tenant`); the layer does not keep the string. */
function mountPath(layer: ExpressLayer): string {
  if (layer.regexp.fast_slash) return "";
  let key = 0;
  return layer.regexp.source
    .replace(/^\^/, "")
    .replace(/\\\/\?\(\?=\\\/\|\$\)$/, "")
    .replace(/\(\?:\\\/\(\[\^\\?\/\]\+\?\)\)/g, () => `/:${layer.keys[key++]?.name ?? "param"}`)
    .replace(/\\(.)/g, "$1");
}
