/** The lifecycle rules (SPEC §4, §5) as pure functions: plain data in, decisions and effects out. */
export * from "./types";
export * from "./roster-error";
export * from "./scim-path";
export * from "./scim-attributes";
export * from "./find-profile-gaps";
export * from "./classify-transition";
export * from "./pick-successor";
export * from "./plan-offboarding";
export * from "./decide-transition";
export * from "./check-profile-completeness";
export * from "./check-seat";
export * from "./check-owner-candidate";
export * from "./diff-for-audit";
export * from "./plan-erasure";
export * from "./redact-audit-values";
export * from "./leave-date";
export * from "./access-decision";
