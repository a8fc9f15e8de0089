/** Who is acting, for which tenant, in which request (audit fields, SPEC §5). */
export interface ActionContext {
  tenant: string;
  /** token id, OAuth client id, `admin:<id>`, or `system:*` */
  actor: string;
  /** the administrator's name or the credential's label, at this moment (issue #13) */
  actorName?: string;
  requestId: string;
  /** inside a /Bulk request (SPEC §4 Bulk) */
  bulk: boolean;
  /** version from If-Match, when the client sent one (RFC 7644 §3.14) */
  ifMatch?: number;
  /** the tenants an administrator may see (`["*"]` for all): what a plan may name of other tenants */
  tenantScope?: readonly string[];
  /** unknown attribute names the tenant's policy ignored in this request: listed in its user.create/user.update entry */
  ignoredAttributes?: string[];
}

/** How a committed transition's cascade ended in the process that committed it. */
export type CascadeOutcome = "complete" | "takenOver" | "failed";

/** A cascade left to the sweep, for the server log (the change itself is committed). */
export interface CascadeReport {
  tenant: string;
  transition: string;
  user: string;
  outcome: Exclude<CascadeOutcome, "complete">;
  error?: unknown;
}

/** Process-wide knobs the services need; built from Config at start. */
export interface Runtime {
  now(): Date;
  /** identifies this process as a lease owner (SPEC §10) */
  processId: string;
  leaseMs: number;
  /** test-only fault injection: exit the process right after applying this cascade step */
  crashAfterEffect?: number;
  /**
   * test-only fault injection: called before a cascade's main audit entry (`"main"`) and before each
   * step (its index), and in a group write between its removals and its additions (`"group-members"`)
   * and before its audit entry (`"group-audit"`), with the group id; may throw
   */
  injectFault?: (step: "main" | number | "group-members" | "group-audit", id: string) => void;
  /** logs a cascade that did not complete in the committing request (wired by the background jobs) */
  reportCascade?: (report: CascadeReport) => void;
}

let runtime: Runtime = { now: () => new Date(), processId: `pid-${process.pid}`, leaseMs: 30000 };

export function setRuntime(next: Runtime): void {
  runtime = next;
}

export function getRuntime(): Runtime {
  return runtime;
}
