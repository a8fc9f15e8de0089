import type { OffboardingChoices, UserFacts } from "./types";

/** One bad choice, as listed in an admin error's `errors` (a JSON pointer into the body). */
export interface ChoiceError {
  path: string;
  message: string;
}

/** What the choices are checked against: the leaver's hand-over and every user they name. */
export interface ChoiceFacts {
  leaverId: string;
  reportIds: string[];
  groupIdsLed: string[];
  /** each named lead (successor and reassign values) as found in the tenant; null when there is no such live user */
  leads: ReadonlyMap<string, UserFacts | null>;
  /** the current manager of each user on the chains above the named leads, as far as they were read */
  managers?: ReadonlyMap<string, string | null>;
}

/**
 * SPEC §11 administrator offboarding: every named lead is an active user of the
 * tenant other than the leaver, a report does not lead itself, and every
 * `reassign` key is one of the leaver's reports or groups led. Returns each bad
 * choice, so the 400 names all of them at once; empty when the choices hold.
 */
export function checkOffboardingChoices(choices: OffboardingChoices, facts: ChoiceFacts): ChoiceError[] {
  const errors: ChoiceError[] = [];
  const checkLead = (path: string, leadId: string, selfId?: string) => {
    const problem = leadProblem(leadId, facts, selfId);
    if (problem) errors.push({ path, message: problem });
  };
  if (choices.successor !== undefined) checkLead("/successor", choices.successor);
  const reports = new Set(facts.reportIds.filter((id) => id !== facts.leaverId));
  const groups = new Set(facts.groupIdsLed);
  for (const [reportId, leadId] of choices.reports ?? []) {
    const path = `/reassign/reports/${pointerToken(reportId)}`;
    if (!reports.has(reportId)) errors.push({ path, message: `user ${reportId} is not a direct report of user ${facts.leaverId}` });
    else checkLead(path, leadId, reportId);
  }
  for (const [groupId, leadId] of choices.groups ?? []) {
    const path = `/reassign/groups/${pointerToken(groupId)}`;
    if (!groups.has(groupId)) errors.push({ path, message: `group ${groupId} is not led by user ${facts.leaverId}` });
    else checkLead(path, leadId);
  }
  if (!errors.length) errors.push(...managerCycles(choices, facts, reports));
  return errors;
}

/**
 * A report handed to a lead who is below them (the lead's chain of managers, after the
 * hand-over, reaches the report) would make a manager cycle: refused on the choice that names
 * the lead. Reports the administrator leaves to the policy end a chain here (the policy's pick
 * is above the leaver), so this never refuses what the policy alone would do.
 */
function managerCycles(choices: OffboardingChoices, facts: ChoiceFacts, reports: ReadonlySet<string>): ChoiceError[] {
  const chosenLead = (reportId: string) => choices.reports?.get(reportId) ?? choices.successor;
  const managerAfter = (userId: string): string | null => (reports.has(userId) ? chosenLead(userId) ?? null : facts.managers?.get(userId) ?? null);
  const errors: ChoiceError[] = [];
  for (const reportId of reports) {
    const leadId = chosenLead(reportId);
    // a successor who is one of the reports is not made their own manager (planOffboarding clears it)
    if (leadId === undefined || leadId === reportId) continue;
    const seen = new Set<string>();
    for (let at: string | null = leadId; at !== null && !seen.has(at); at = managerAfter(at)) {
      if (at === reportId) {
        const path = choices.reports?.has(reportId) ? `/reassign/reports/${pointerToken(reportId)}` : "/successor";
        errors.push({ path, message: `user ${leadId} is below user ${reportId} in the reporting line: leading them would make a manager cycle` });
        break;
      }
      seen.add(at);
    }
  }
  return errors;
}

function leadProblem(leadId: string, facts: ChoiceFacts, selfId?: string): string | null {
  if (leadId === facts.leaverId) return `user ${leadId} is the user being offboarded`;
  if (leadId === selfId) return `user ${leadId} cannot be their own manager`;
  const lead = facts.leads.get(leadId) ?? null;
  if (lead === null || lead.removed) return `user ${leadId} is not a user of this tenant`;
  if (!lead.active) return `user ${leadId} is deactivated: the lead must be an active user`;
  return null;
}

/** RFC 6901 §3: `~` and `/` escaped in a JSON pointer token. */
function pointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
