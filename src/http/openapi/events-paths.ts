import { json, pathParameter, ref, type PathItem } from "./operations";

const JSON_TYPES = ["application/json"];
const error = (description: string) => json(description, { type: "object" }, JSON_TYPES);
const tenant = pathParameter("tenant", "The tenant's id");

/** /events/v1 (README "Lifecycle events"): the tenant's signing keys (public) and RFC 8936 polling (poll token). */
export function eventsPaths(base: string): Record<string, PathItem> {
  return {
    [`${base}/tenants/{tenant}/jwks.json`]: {
      get: {
        summary: "The tenant's public keys that sign its SETs (RFC 7517 JWK Set)", operationId: "eventJwks", tags: ["Events"], parameters: [tenant],
        responses: {
          "200": json("The JWK Set", { type: "object", required: ["keys"], properties: { keys: { type: "array", items: { type: "object", required: ["kty", "kid"] } } } }, ["application/jwk-set+json"]),
          "404": error("No such tenant"),
          "429": error("Rate limited: retry after the Retry-After header's seconds"),
        },
      },
    },
    [`${base}/tenants/{tenant}/event-subscriptions/{id}/poll`]: {
      post: {
        summary: "Acknowledge SETs and receive the next ones (RFC 8936 poll)", operationId: "pollEvents", tags: ["Events"],
        parameters: [tenant, pathParameter("id", "The poll subscription's id")],
        security: [{ pollToken: [] }],
        requestBody: { required: false, content: { "application/json": { schema: ref("EventPoll") } } },
        responses: {
          "200": json("SETs by jti, and whether more are owed", { type: "object", required: ["sets", "moreAvailable"], properties: { sets: { type: "object", additionalProperties: { type: "string" } }, moreAvailable: { type: "boolean" } } }, JSON_TYPES),
          "400": error("The poll request breaks its schema"),
          "401": error("No valid poll token of this subscription"),
          "404": error("No such tenant"),
          "429": error("Rate limited: retry after the Retry-After header's seconds"),
        },
      },
    },
  };
}
