import type { Express, Request } from "express";
import { RouteSeries, unmatchedRequests } from "../metrics/request-metrics";
import { expressRoutes, type ExpressLayer } from "./express-routes";

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
    if (!router) return;
    for (const { route, paths } of expressRoutes(router.stack)) this.series.set(route, new RouteSeries(paths.join("|")));
  }

  /** The series a finished request counts in: its route's, or the one of requests no route matched. */
  seriesOf(req: Request): RouteSeries {
    return (req.route && this.series.get(req.route)) || unmatchedRequests;
  }
}
