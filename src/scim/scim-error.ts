import SCIMMY from "scimmy";
import { RosterError, errorKindFor } from "../domain/roster-error";
import { translateStoreError } from "../store/translate-store-error";

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

let reportUnexpected: (error: unknown) => void = () => undefined;

/** The RosterError each scimmy error made by {@link toScimmyError} stands for (its Retry-After, its errors). */
const origins = new WeakMap<object, RosterError>();

/** Where errors that are bugs (not protocol errors) get logged before they become a generic 500. */
export function setUnexpectedErrorReporter(report: (error: unknown) => void): void {
  reportUnexpected = report;
}

/** Any failure as a scimmy error, so scimmy never rewrites it as a 404 (STYLE). */
export function toScimmyError(error: unknown): InstanceType<typeof SCIMMY.Types.Error> {
  if (error instanceof SCIMMY.Types.Error) return error;
  const roster = toRosterError(error);
  if (roster.status >= 500) reportUnexpected(error);
  const scimmyError = new SCIMMY.Types.Error(roster.status, (roster.scimType ?? null) as unknown as string, roster.detail);
  origins.set(scimmyError, roster);
  return scimmyError;
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
  [extra: string]: unknown;
}

/** What an error writer needs: the RFC 7644 §3.12 body, its registry error, and whether it is a bug to log. */
export interface DescribedError {
  status: number;
  body: ScimErrorBody;
  error: RosterError;
  unexpected: boolean;
}

/**
 * The RFC 7644 §3.12 error message for anything thrown while serving SCIM or the
 * admin API: a registry error as is, scimmy's errors by their status and scimType,
 * anything else through the store translator (a bug is a generic 500 whose details
 * only reach the log).
 */
export function scimErrorBody(error: unknown): DescribedError {
  const roster = toRosterError(error);
  const detail = error instanceof SCIMMY.Types.Error ? error.message : roster.detail;
  const unexpected = !(error instanceof RosterError) && !(error instanceof SCIMMY.Types.Error) && roster.status >= 500;
  return { status: roster.status, body: body(roster.status, roster.scimType, detail), error: roster, unexpected };
}

function toRosterError(error: unknown): RosterError {
  if (error instanceof RosterError) return error;
  if (error instanceof SCIMMY.Types.Error) return origins.get(error) ?? fromScimmyError(error);
  return fromScimmyCoercion(error) ?? translateStoreError(error);
}

/** scimmy's own errors (schema checks, its PATCH engine) by their status and scimType. */
function fromScimmyError(error: InstanceType<typeof SCIMMY.Types.Error>): RosterError {
  const kind = errorKindFor(Number(error.status), error.scimType);
  return kind === "internal" ? RosterError.internal() : RosterError.ofKind(kind, error.message);
}

/**
 * scimmy reports a value its schema refuses (coercion of a request body) as a plain
 * TypeError whose message starts with one of these words; those are client mistakes,
 * 400 invalidValue (RFC 7644 §3.12). Any other TypeError is a bug.
 */
const SCIMMY_COERCION_MESSAGE = /^(Attribute|Required|Expected|Value|Complex|Unexpected|Invalid)/;

function fromScimmyCoercion(error: unknown): RosterError | undefined {
  return error instanceof TypeError && SCIMMY_COERCION_MESSAGE.test(error.message) ? RosterError.invalidValue(error.message) : undefined;
}

function body(status: number, scimType: string | undefined, detail: string): ScimErrorBody {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}
