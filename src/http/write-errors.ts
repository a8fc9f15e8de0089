import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { RosterError } from "../domain/roster-error";
import { scimErrorBody, type DescribedError } from "../scim/scim-error";
import { locals } from "./request-context";

/** body-parser failures as protocol errors: malformed JSON and oversized bodies (SPEC §7). */
function bodyParserError(error: unknown, maxPayloadSize: number): RosterError | undefined {
  const type = (error as { type?: string })?.type;
  if (type === "entity.parse.failed") return RosterError.invalidSyntax("Request body is not valid JSON");
  if (type === "entity.too.large") return RosterError.payloadTooLarge(maxPayloadSize);
  if (type === "encoding.unsupported" || type === "charset.unsupported") return RosterError.invalidSyntax("Unsupported request body encoding");
  return undefined;
}

/** Describes the error, logs it when it is a bug, and sets the headers its kind asks for (Retry-After on 429/503, RFC 9110 §10.2.3). */
function prepare(logger: Logger, maxPayloadSize: number, error: unknown, req: Request, res: Response): DescribedError {
  const described = scimErrorBody(bodyParserError(error, maxPayloadSize) ?? error);
  if (described.unexpected) logger.error({ err: error, requestId: locals(res).requestId, path: req.originalUrl.split("?")[0] }, "unexpected error");
  const retryAfter = described.error.retryAfter;
  if (retryAfter !== undefined) res.setHeader("Retry-After", String(retryAfter));
  return described;
}

/** SCIM error messages for everything under /scim/v2; unexpected errors are logged, never shown. */
export function writeScimErrors(logger: Logger, maxPayloadSize: number) {
  return function writeScimError(error: unknown, req: Request, res: Response, _next: NextFunction): void {
    const { status, body } = prepare(logger, maxPayloadSize, error, req, res);
    res.status(status).type("application/scim+json").send(JSON.stringify(body));
  };
}

/** The admin API's error shape `{status, detail, errors}` (SPEC §6). */
export function writeAdminErrors(logger: Logger, maxPayloadSize: number) {
  return function writeAdminError(error: unknown, req: Request, res: Response, _next: NextFunction): void {
    const { status, body, error: known } = prepare(logger, maxPayloadSize, error, req, res);
    const errors = Array.isArray(known.extra.errors) ? known.extra.errors : [];
    res.status(status).json({ status, detail: body.detail, errors });
  };
}
