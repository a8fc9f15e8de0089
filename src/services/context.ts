/** Who is acting, for which tenant, in which request (audit fields, SPEC §5). */
export interface ActionContext {
  tenant: string;
  /** token id, `admin`, or `system:*` */
  actor: string;
  requestId: string;
  /** inside a /Bulk request (SPEC §4 Bulk) */
  bulk: boolean;
  /** version from If-Match, when the client sent one (RFC 7644 §3.14) */
  ifMatch?: number;
}

/** Process-wide knobs the services need; built from Config at start. */
export interface Runtime {
  now(): Date;
  /** identifies this process as a lease owner (SPEC §10) */
  processId: string;
  leaseMs: number;
  /** test-only fault injection: exit the process right after applying this cascade step */
  crashAfterEffect?: number;
}

let runtime: Runtime = { now: () => new Date(), processId: `pid-${process.pid}`, leaseMs: 30000 };

export function setRuntime(next: Runtime): void {
  runtime = next;
}

export function getRuntime(): Runtime {
  return runtime;
}
