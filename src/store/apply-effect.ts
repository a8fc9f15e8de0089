import { auditActor } from "../domain/audit-actor";
import { GROUP_MANAGER_PATH, USER_MANAGER_PATH, type Effect } from "../domain/types";
import type { AuditDoc } from "./audit-store";
import { revokeCredentials } from "./credential-store";
import { reassignGroupLeaders } from "./group-store";
import type { TransitionDoc } from "./transition-store";
import { reassignReports } from "./user-store";

/** One cascade step with its position in the transition (the position names its audit entry). */
export interface Step {
  index: number;
  effect: Effect;
}

/** The steps {@link applySteps} writes; dropMemberships goes through the group write path (services). */
export type StoreStep = Step & { effect: Exclude<Effect, { kind: "dropMemberships" }> };

/**
 * Applies cascade steps in a constant number of round trips however many there are: one update
 * for the credentials, one bulk write per collection for the hand-over. Returns the hand-over's
 * audit entries, for the caller to write in one insert with the transition's own entry. Every step
 * is idempotent: the conditional updates match nothing the second time and audit ids are derived
 * from the transition (`<transition>:<step>`), so a resumed cascade neither repeats a change nor
 * duplicates an entry.
 */
export async function applySteps(transition: TransitionDoc, steps: StoreStep[], now: Date): Promise<AuditDoc[]> {
  const { tenant } = transition;
  const revoked = new Map<string, Array<"session" | "apiKey">>();
  const revoke = (userId: string, kind: "session" | "apiKey") => revoked.set(userId, [...(revoked.get(userId) ?? []), kind]);
  const reports: Array<{ reportId: string; from: string; to: string | null }> = [];
  const groups: Array<{ groupId: string; from: string; to: string | null }> = [];
  const entries: AuditDoc[] = [];
  const audit = (index: number, target: string, path: string, from: string, to: string | null): AuditDoc => ({
    _id: `${transition._id}:${index}`,
    tenant,
    at: now,
    ...auditActor(transition),
    action: "reports.reassign",
    target,
    cause: transition.userId,
    before: { [path]: { value: from } },
    after: { [path]: to ? { value: to } : null },
    ...(transition.reason !== undefined ? { reason: transition.reason } : {}),
    requestId: transition.requestId,
  });
  for (const { index, effect } of steps) {
    switch (effect.kind) {
      case "revokeSessions":
        revoke(effect.userId, "session");
        break;
      case "revokeApiKeys":
        revoke(effect.userId, "apiKey");
        break;
      case "reassignReport":
        reports.push(effect);
        entries.push(audit(index, effect.reportId, USER_MANAGER_PATH, effect.from, effect.to));
        break;
      case "reassignGroupLeader":
        groups.push(effect);
        entries.push(audit(index, effect.groupId, GROUP_MANAGER_PATH, effect.from, effect.to));
        break;
      default: {
        const unknown: never = effect;
        throw new Error(`unknown cascade step ${JSON.stringify(unknown)}`);
      }
    }
  }
  // sessions and API keys of the leaver in one update
  for (const [userId, kinds] of revoked) await revokeCredentials(tenant, userId, kinds, now);
  if (reports.length) await reassignReports(tenant, reports, now);
  if (groups.length) await reassignGroupLeaders(tenant, groups, now);
  return entries;
}
