/**
 * Expectations of the conformance steps. Each failure names the exchange it
 * concerns (request and response) so it can be reported as a bug as is.
 */
import { describeExchange, type Exchange } from "./scim-client";

export class StepFailure extends Error {}

/** Fails unless the answer has one of the statuses. */
export function expectStatus(exchange: Exchange, ...statuses: number[]): void {
  if (!statuses.includes(exchange.status)) {
    throw new StepFailure(`expected ${statuses.join(" or ")}, got: ${describeExchange(exchange)}`);
  }
}

/** Fails unless the condition holds; `exchange` is the evidence shown. */
export function expectThat(condition: unknown, what: string, exchange?: Exchange): void {
  if (!condition) {
    throw new StepFailure(exchange === undefined ? what : `${what}; ${describeExchange(exchange)}`);
  }
}

/** Fails unless `actual` deep-equals `expected` (JSON comparison). */
export function expectEqual(actual: unknown, expected: unknown, what: string, exchange?: Exchange): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    expectThat(false, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, exchange);
  }
}

/** A value an earlier step should have produced. */
export function needs<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null || value === "") {
    throw new StepFailure(`not run: needs ${what} from an earlier step`);
  }
  return value;
}

export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/** An RFC 7644 §3.12 error message with this status (and scimType when given). */
export function expectScimError(exchange: Exchange, status: number, scimType?: string): void {
  expectStatus(exchange, status);
  const body = exchange.body as Record<string, unknown> | undefined;
  expectThat(Array.isArray(body?.schemas) && (body!.schemas as unknown[]).includes(ERROR_SCHEMA), `the body is not a SCIM error message`, exchange);
  expectThat(String(body!.status) === String(status), `the error's status is not "${status}"`, exchange);
  if (scimType !== undefined) expectEqual(body!.scimType, scimType, "scimType", exchange);
}

/** A ListResponse; returns its Resources. */
export function expectListResponse(exchange: Exchange, totalResults?: number): any[] {
  expectStatus(exchange, 200);
  const body = exchange.body as Record<string, unknown> | undefined;
  expectThat(Array.isArray(body?.schemas) && (body!.schemas as unknown[]).includes(LIST_SCHEMA), "the body is not a ListResponse", exchange);
  expectThat(Number.isInteger(body!.totalResults), "totalResults is not an integer", exchange);
  if (totalResults !== undefined) expectEqual(body!.totalResults, totalResults, "totalResults", exchange);
  expectThat(Array.isArray(body!.Resources), "Resources is not an array", exchange);
  return body!.Resources as any[];
}

/** The `value`s of a group's members, sorted. */
export function memberIds(group: { members?: Array<{ value?: string }> } | undefined): string[] {
  return (group?.members ?? []).map((m) => String(m.value)).sort();
}
