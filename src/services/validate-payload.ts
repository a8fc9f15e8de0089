import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import administratorCreateSchema from "../../schemas/admin-administrator-create.schema.json";
import administratorUpdateSchema from "../../schemas/admin-administrator-update.schema.json";
import labelSchema from "../../schemas/admin-label.schema.json";
import auditQuerySchema from "../../schemas/admin-audit-query.schema.json";
import eventSubscriptionSchema from "../../schemas/admin-event-subscription.schema.json";
import eventPollSchema from "../../schemas/event-poll.schema.json";
import ownerSchema from "../../schemas/admin-owner.schema.json";
import tenantCreateSchema from "../../schemas/admin-tenant-create.schema.json";
import organizationCreateSchema from "../../schemas/admin-organization-create.schema.json";
import organizationUpdateSchema from "../../schemas/admin-organization-update.schema.json";
import tenantOrganizationSchema from "../../schemas/admin-tenant-organization.schema.json";
import policySchema from "../../schemas/policy.schema.json";
import offboardingSchema from "../../schemas/admin-offboarding.schema.json";
import offboardingPlanQuerySchema from "../../schemas/admin-offboarding-plan-query.schema.json";
import reactivateSchema from "../../schemas/admin-reactivate.schema.json";
import { RosterError } from "../domain/roster-error";
import { parseInstant } from "./parse-instant";

/** One schema violation, as listed in an admin error's `errors` (SPEC §6). */
export interface PayloadError {
  /** JSON pointer into the payload (`/seatLimit`), or the query parameter (`/since`) */
  path: string;
  message: string;
}

/** RFC 7644 §3.10 attrPath: `[URN ":"] ATTRNAME ["." subAttr]`; value filters are not profile paths. */
export const SCIM_ATTRIBUTE_PATH = /^(?:urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%]+:)?[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)?$/i;

const FORMAT_MESSAGES: Record<string, string> = {
  "scim-attribute-path": "must be a SCIM attribute path such as name.givenName, emails or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
  "iso8601-instant": "must be an ISO 8601 date-time with an offset (2024-05-01T09:30:00Z) or a date (2024-05-01)",
};

function newAjv(coerceTypes: boolean): Ajv {
  // bodies are taken as typed (a seatLimit of "5" is a mistake); query strings need coercion
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes, strict: true });
  ajv.addFormat("scim-attribute-path", SCIM_ATTRIBUTE_PATH);
  ajv.addFormat("iso8601-instant", (text: string) => parseInstant(text, "start") !== null);
  return ajv;
}

/** The admin payloads and the JSON Schema in `schemas/` each is validated against (SPEC §6). */
const SCHEMAS = {
  tenantCreate: { schema: tenantCreateSchema, query: false },
  policy: { schema: policySchema, query: false },
  owner: { schema: ownerSchema, query: false },
  label: { schema: labelSchema, query: false },
  auditQuery: { schema: auditQuerySchema, query: true },
  administratorCreate: { schema: administratorCreateSchema, query: false },
  administratorUpdate: { schema: administratorUpdateSchema, query: false },
  offboarding: { schema: offboardingSchema, query: false },
  offboardingPlanQuery: { schema: offboardingPlanQuerySchema, query: true },
  reactivate: { schema: reactivateSchema, query: false },
  eventSubscription: { schema: eventSubscriptionSchema, query: false },
  eventPoll: { schema: eventPollSchema, query: false },
  organizationCreate: { schema: organizationCreateSchema, query: false },
  organizationUpdate: { schema: organizationUpdateSchema, query: false },
  tenantOrganization: { schema: tenantOrganizationSchema, query: false },
} as const;

export type PayloadName = keyof typeof SCHEMAS;

let bodies: Ajv | undefined;
let queries: Ajv | undefined;
const compiled = new Map<PayloadName, ValidateFunction>();

/** Compiled on first use: the CLI validates one payload per run and should start fast. */
function validatorFor(name: PayloadName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const { schema, query } = SCHEMAS[name];
    const ajv = query ? (queries ??= newAjv(true)) : (bodies ??= newAjv(false));
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

/** Validates (and fills schema defaults into a copy of) a payload; a 400 listing every error otherwise. */
export function validatePayload<T>(name: PayloadName, payload: unknown): T {
  const validate = validatorFor(name);
  const copy = payload === undefined ? {} : structuredClone(payload);
  if (validate(copy)) return copy as T;
  throw invalidPayload(describeErrors(validate.errors ?? []));
}

/** The 400 an admin client gets for schema errors, each one listed (SPEC §6). */
export function invalidPayload(errors: PayloadError[]): RosterError {
  const detail = `Invalid request: ${errors.map((error) => `${error.path || "/"} ${error.message}`).join("; ")}`;
  return RosterError.invalidValue(detail, { errors });
}

/** Ajv's errors as `{path, message}`, one per violation, in words an administrator can act on. */
export function describeErrors(errors: ErrorObject[]): PayloadError[] {
  return errors.map((error) => {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "additionalProperties":
        return { path: `${error.instancePath}/${String(params.additionalProperty)}`, message: "is not allowed" };
      case "required":
        return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: "is required" };
      case "enum":
        return { path: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}` };
      case "type":
        return { path: error.instancePath, message: `must be ${String(params.type).split(",").join(" or ")}` };
      case "format":
        return { path: error.instancePath, message: FORMAT_MESSAGES[String(params.format)] ?? error.message ?? "is invalid" };
      default:
        return { path: error.instancePath, message: error.message ?? "is invalid" };
    }
  });
}

/** The JSON Schema a payload is validated against, for the OpenAPI description (GET /openapi.json). */
export function payloadSchema(name: PayloadName): Readonly<Record<string, unknown>> {
  return SCHEMAS[name].schema as Readonly<Record<string, unknown>>;
}
