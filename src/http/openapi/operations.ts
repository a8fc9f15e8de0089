/** Small builders for OpenAPI 3.1 operations, shared by the SCIM and admin path tables. */
import type { JsonSchema } from "../../scim/resource-json-schema";

export type Responses = Record<string, unknown>;
export interface Operation {
  summary: string;
  operationId: string;
  tags: string[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Responses;
  security?: Array<Record<string, string[]>>;
}
export type PathItem = Record<string, Operation>;

export const ref = (component: string): JsonSchema => ({ $ref: `#/components/schemas/${component}` });

/** A JSON response with a schema, under each of the media types. */
export function json(description: string, schema: JsonSchema, mediaTypes: string[], headers?: Record<string, unknown>): unknown {
  return { description, ...(headers ? { headers } : {}), content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) };
}

export const noContent = (description: string, headers?: Record<string, unknown>): unknown => ({ description, ...(headers ? { headers } : {}) });

export const pathParameter = (name: string, description: string): unknown => ({ name, in: "path", required: true, description, schema: { type: "string" } });

export const queryParameter = (name: string, description: string, schema: JsonSchema = { type: "string" }): unknown => ({ name, in: "query", required: false, description, schema });
