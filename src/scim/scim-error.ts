import SCIMMY from "scimmy";
import { RosterError } from "../domain/roster-error";
import { translateStoreError } from "../store/translate-store-error";

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

let reportUnexpected: (error: unknown) => void = () => undefined;

/** Where errors that are bugs (not protocol errors) get logged before they become a generic 500. */
export function setUnexpectedErrorReporter(report: (error: unknown) => void): void {
  reportUnexpected = report;
}

/** Any failure as a scimmy error, so scimmy never rewrites it as a 404 (STYLE). */
export function toScimmyError(error: unknown): InstanceType<typeof SCIMMY.Types.Error> {
  if (error instanceof SCIMMY.Types.Error) return error;
  const roster = error instanceof RosterError ? error : translateStoreError(error);
  if (roster.status >= 500) reportUnexpected(error);
  return new SCIMMY.Types.Error(roster.status, (roster.scimType ?? null) as unknown as string, roster.detail);
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
  [extra: string]: unknown;
}

/**
 * The RFC 7644 §3.12 error message for anything thrown while serving SCIM.
 * scimmy's own TypeErrors (schema coercion) are client mistakes; anything
 * else unknown is a bug: a generic 500 whose details only reach the log.
 */
export function scimErrorBody(error: unknown): { status: number; body: ScimErrorBody; unexpected: boolean } {
  if (error instanceof RosterError) {
    return { status: error.status, body: body(error.status, error.scimType, error.detail), unexpected: false };
  }
  if (error instanceof SCIMMY.Types.Error) {
    const status = Number(error.status);
    return { status, body: body(status, error.scimType ?? undefined, error.message), unexpected: false };
  }
  if (error instanceof TypeError && /^(Attribute|Required|Expected|Value|Complex|Unexpected|Invalid)/.test(error.message)) {
    return { status: 400, body: body(400, "invalidValue", error.message), unexpected: false };
  }
  const translated = translateStoreError(error);
  return { status: translated.status, body: body(translated.status, translated.scimType, translated.detail), unexpected: translated.status >= 500 };
}

function body(status: number, scimType: string | undefined | null, detail: string): ScimErrorBody {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}
