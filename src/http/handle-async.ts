import type { NextFunction, Request, Response } from "express";

/** Express 4 does not catch rejected promises; this forwards them to the error writer. */
export function handleAsync(handler: (req: Request, res: Response, next: NextFunction) => Promise<void>) {
  const wrapped = (req: Request, res: Response, next: NextFunction) => {
    handler(req, res, next).catch(next);
  };
  Object.defineProperty(wrapped, "name", { value: handler.name });
  return wrapped;
}
