import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { AdminIdentity } from "../domain/admin-access";

/** Per-request values the handlers and the log line share. */
export interface RequestLocals {
  requestId: string;
  tenant?: string;
  /** token id or OAuth client id of the SCIM caller, or `admin:<id>` */
  actor?: string;
  /** the SCIM credential's label, or the administrator's name (audit `actorName`) */
  actorName?: string;
  /** the administrator of an admin API request, once authenticated (issue #13) */
  admin?: AdminIdentity;
  /** attribute names the tenant's `unknownAttributes: ignore` left out of this request (in its log line and audit entry) */
  ignoredAttributes?: string[];
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function locals(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

/** Keeps a well-formed incoming X-Request-Id or makes one; it is the audit `requestId` (SPEC §2). */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header("x-request-id");
  const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  locals(res).requestId = requestId;
  res.setHeader("X-Request-Id", requestId);
  next();
}
