import { createHash } from "node:crypto";

/** SHA-256 of a bearer token or API key, hex: the only form in which secrets are stored (SPEC §7). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
