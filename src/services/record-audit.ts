import { auditActor } from "../domain/audit-actor";
import type { AuditChange } from "../domain/types";
import { appendAudit } from "../store/audit-store";
import { newId } from "../store/new-id";
import type { ActionContext } from "./context";

/** Appends one audit entry for an action taken in `ctx` (SPEC §5). */
export async function recordAudit(ctx: ActionContext, action: string, target: string, change: AuditChange, at: Date): Promise<void> {
  const ignored = ctx.ignoredAttributes?.length && (action === "user.create" || action === "user.update") ? { ignoredAttributes: ctx.ignoredAttributes } : {};
  await appendAudit({ _id: newId(), tenant: ctx.tenant, at, ...auditActor(ctx), action, target, before: change.before, after: change.after, requestId: ctx.requestId, ...ignored });
}
