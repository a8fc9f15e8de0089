import { randomBytes } from "node:crypto";

/** What a suite needs to know about the tenant it runs against, beyond its URL and token. */
export interface SequenceOptions {
  /**
   * The tenant's account owner (a user id), if it has one: under the default
   * policy `manager-then-owner` a leader with no manager hands their reports to
   * the owner; with no owner the reports' manager is cleared (SPEC §4
   * Deactivate 3). The suites assume no owner unless told.
   */
  ownerId?: string;
  /** suffix for the userNames and displayNames of this run; random by default */
  suffix?: string;
  /** leave the users and groups the run created (by default they are deleted at the end) */
  keep?: boolean;
}

/** A short random suffix so runs against a live server never collide. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}
