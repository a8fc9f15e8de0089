/** Who acted, as an audit entry records it (SPEC §5): the actor id, and its name at that moment when it has one. */
export interface AuditActor {
  /** a SCIM token id, an OAuth client id, `admin:<id>` (`admin:root`), or `system:*` */
  actor: string;
  /** the administrator's name, or the token's or client's label; absent for system actors and unlabelled credentials */
  actorName?: string | null;
}

/** The actor fields of an audit entry: `actorName` only when there is one, so entries without it stay as they were. */
export function auditActor(who: AuditActor): { actor: string; actorName?: string } {
  return who.actorName ? { actor: who.actor, actorName: who.actorName } : { actor: who.actor };
}
