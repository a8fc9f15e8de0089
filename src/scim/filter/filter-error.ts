/**
 * A filter or sortBy the client got wrong. The SCIM layer answers it with
 * `400` and `scimType: "invalidFilter"` (RFC 7644 §3.4.2.2, §3.12).
 */
export class FilterError extends Error {
  readonly scimType = "invalidFilter";

  constructor(message: string) {
    super(message);
    this.name = "FilterError";
  }
}
