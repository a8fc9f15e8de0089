import { auditActor } from "../domain/audit-actor";
import { RosterError, checkOwnerCandidate } from "../domain";
import { appendAudit } from "../store/audit-store";
import { newId } from "../store/new-id";
import { setOwner } from "../store/tenant-store";
import { findLiveUser } from "../store/user-store";
import { getRuntime, type ActionContext } from "./context";
import { userFacts } from "./offboarding-input";
import { loadTenantSettings } from "./tenant-policy";
import { validatePayload } from "./validate-payload";

/** SPEC §6 GET /owner: the owner's user id, null when unset. */
export async function getOwner(tenant: string): Promise<{ userId: string | null }> {
  const { tenant: doc } = await loadTenantSettings(tenant);
  return { userId: doc.ownerId ?? null };
}

/**
 * SPEC §4 Deactivate 2 and §6 PUT /owner: the new owner must be an existing,
 * active, not removed user of the tenant; `null` clears the owner (a tenant
 * may have none). Audited as `owner.update` when it changes; the payload is
 * checked against schemas/admin-owner.schema.json.
 */
export async function changeOwner(ctx: ActionContext, payload: unknown): Promise<{ userId: string | null }> {
  const { userId } = validatePayload<{ userId: string | null }>("owner", payload);
  const { tenant } = await loadTenantSettings(ctx.tenant);
  if (userId !== null) {
    const user = await findLiveUser(ctx.tenant, userId);
    const refusal = checkOwnerCandidate(user ? userFacts(user) : null);
    if (refusal) throw RosterError.fromRefusal(refusal);
  }
  const previous = tenant.ownerId ?? null;
  if (previous === userId) return { userId };
  if (!(await setOwner(ctx.tenant, userId))) throw RosterError.notFound(`Tenant ${ctx.tenant} not found`);
  if (userId !== null) {
    // a deactivation that read the old owner may have committed meanwhile: never keep an inactive owner
    const owner = await findLiveUser(ctx.tenant, userId);
    const refusal = checkOwnerCandidate(owner ? userFacts(owner) : null);
    if (refusal) {
      await setOwner(ctx.tenant, previous);
      throw RosterError.fromRefusal(refusal);
    }
  }
  await appendAudit({
    _id: newId(),
    tenant: ctx.tenant,
    at: getRuntime().now(),
    ...auditActor(ctx),
    action: "owner.update",
    target: ctx.tenant,
    before: { userId: previous },
    after: { userId },
    requestId: ctx.requestId,
  });
  return { userId };
}
