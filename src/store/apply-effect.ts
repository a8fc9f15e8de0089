import { GROUP_MANAGER_PATH, USER_MANAGER_PATH, type Effect } from "../domain/types";
import { appendAudit } from "./audit-store";
import { revokeCredentials } from "./credential-store";
import { reassignGroupLeader, touchGroups } from "./group-store";
import { dropMembershipsOf } from "./membership-store";
import type { TransitionDoc } from "./transition-store";
import { reassignReport } from "./user-store";

/**
 * Applies one cascade step. Every step is idempotent: the conditional updates
 * match nothing the second time and audit ids are derived from the transition,
 * so a resumed cascade neither repeats a change nor duplicates an entry.
 */
export async function applyEffect(transition: TransitionDoc, index: number, effect: Effect, now: Date): Promise<void> {
  const { tenant } = transition;
  const audit = (target: string, path: string, from: string, to: string | null) =>
    appendAudit({
      _id: `${transition._id}:${index}`,
      tenant,
      at: now,
      actor: transition.actor,
      action: "reports.reassign",
      target,
      cause: transition.userId,
      before: { [path]: { value: from } },
      after: { [path]: to ? { value: to } : null },
      requestId: transition.requestId,
    });
  switch (effect.kind) {
    case "reassignReport":
      await reassignReport(tenant, effect.reportId, effect.from, effect.to, now);
      await audit(effect.reportId, USER_MANAGER_PATH, effect.from, effect.to);
      return;
    case "reassignGroupLeader":
      await reassignGroupLeader(tenant, effect.groupId, effect.from, effect.to, now);
      await audit(effect.groupId, GROUP_MANAGER_PATH, effect.from, effect.to);
      return;
    case "dropMemberships":
      await touchGroups(tenant, await dropMembershipsOf(tenant, effect.userId), now);
      return;
    case "revokeSessions":
      await revokeCredentials(tenant, effect.userId, "session", now);
      return;
    case "revokeApiKeys":
      await revokeCredentials(tenant, effect.userId, "apiKey", now);
      return;
    default: {
      const unknown: never = effect;
      throw new Error(`unknown cascade step ${JSON.stringify(unknown)}`);
    }
  }
}
