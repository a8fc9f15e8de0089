import type { NextFunction, Request, Response } from "express";
import { RosterError } from "../domain/roster-error";

/** How deep a parsed JSON value nests, measured without recursion so no depth can exhaust the stack. */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAbove) return deepest;
    for (const inner of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof inner === "object" && inner !== null) stack.push([inner, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Refuses a request body nesting deeper than `maxDepth` (`400 invalidSyntax`, SPEC §7) before
 * anything walks it: the normalizer, scimmy and the MongoDB driver all recurse.
 */
export function limitJsonDepth(maxDepth: number) {
  return function refuseDeepBody(req: Request, _res: Response, next: NextFunction): void {
    if (jsonDepth(req.body, maxDepth) > maxDepth) return next(RosterError.invalidSyntax(`Request body nests deeper than ${maxDepth} levels`));
    next();
  };
}
