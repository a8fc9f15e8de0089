import fs from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import helmet from "helmet";

/** dist/console/, where scripts/build-console.js puts the bundle (this file runs from dist/src/http/). */
export const CONSOLE_DIR = path.resolve(__dirname, "..", "..", "console");

/**
 * /console/: the admin console's static page, script and stylesheet. Stricter than the app-wide
 * helmet policy: only this origin's script and stylesheet, nothing inline (not even styles), calls
 * only to this origin, and no framing. The page holds no data; it calls /admin/v1 with the token
 * the administrator types in.
 */
export function consoleRoute(): Router {
  const router = express.Router();
  router.use(helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
  }));
  router.use(function noStore(_req: Request, res: Response, next) {
    // one small bundle: revalidated every load (ETag), so an upgrade shows at once
    res.setHeader("Cache-Control", "no-cache");
    next();
  });
  // middleware, not a route: the page is not part of the API that /openapi.json describes
  router.use(function consoleIndex(req: Request, res: Response, next) {
    if (req.path !== "/") return next();
    if (!req.originalUrl.split("?")[0].endsWith("/")) return res.redirect(301, "/console/");
    if (!fs.existsSync(path.join(CONSOLE_DIR, "index.html"))) {
      return res.status(503).json({ status: 503, detail: "The admin console is not built: run `npm run build`", errors: [] });
    }
    next();
  });
  router.use(express.static(CONSOLE_DIR, { index: "index.html", redirect: false, fallthrough: true }));
  return router;
}
