// No imports: the admin console's bundle reads this type too (console/src/audit.tsx).

/** An audit entry as the admin API shows it (SPEC §5). */
export interface AuditEntryView {
  id: string;
  /** ISO 8601 with milliseconds */
  at: string;
  tenant: string;
  actor: string;
  /** the administrator's name, or the credential's label, when the entry was written */
  actorName?: string;
  action: string;
  target: string;
  cause?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  reason?: string;
  choices?: Record<string, unknown>;
  requestId: string;
  ignoredAttributes?: string[];
}
