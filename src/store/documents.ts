/**
 * Shapes of the MongoDB documents. Every collection is keyed by `tenant` first
 * (SPEC §10) so the tenant id can prefix a shard key. Case-insensitive lookups
 * use lowercase shadow keys under plain indexes (SPEC §8: no collations, no
 * partial indexes, so FerretDB and MongoDB behave alike).
 *
 * Which SCIM attribute is stored in which field, and which shadow key follows it, is
 * declared once in domain/scim-attributes.ts (`field`, `shadow`); the mapping in
 * services/user-resource.ts and the filter map are derived from it. These types are
 * the shapes that declaration produces.
 */

export interface ManagerLink {
  value: string;
  displayName?: string;
}

export interface UserDoc {
  _id: string;
  tenant: string;
  /** incremented on every write; meta.version is W/"<version>" */
  version: number;
  created: Date;
  lastModified: Date;
  userName: string;
  /** lower(userName) while the user is not removed, `\u0000removed:<_id>` after: unique per tenant */
  userNameKey: string;
  externalId?: string;
  name?: Record<string, string>;
  displayName?: string;
  /** lower(displayName), for case-insensitive filters and sorting */
  displayNameKey?: string;
  nickName?: string;
  profileUrl?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active: boolean;
  emails?: Array<Record<string, unknown>>;
  /** lower(emails[].value), multikey-indexed for `emails.value eq` lookups */
  emailKeys: string[];
  phoneNumbers?: Array<Record<string, unknown>>;
  ims?: Array<Record<string, unknown>>;
  photos?: Array<Record<string, unknown>>;
  addresses?: Array<Record<string, unknown>>;
  entitlements?: Array<Record<string, unknown>>;
  roles?: Array<Record<string, unknown>>;
  x509Certificates?: Array<Record<string, unknown>>;
  /** urn:ietf:params:scim:schemas:extension:enterprise:2.0:User */
  enterprise?: {
    employeeNumber?: string;
    costCenter?: string;
    organization?: string;
    division?: string;
    department?: string;
    manager?: ManagerLink;
  };
  /** urn:ietf:params:scim:schemas:extension:roster:2.0:User */
  roster?: { leaveDate?: Date };
  /** scrypt hash `scrypt$<salt>$<hash>`; never returned */
  passwordHash?: string;
  deletedAt?: Date | null;
  erasedAt?: Date | null;
  /** id of the last transition whose commit write touched this user (SPEC §4 Crash safety) */
  lastTransition?: string;
  /** leave date for which a refusal was already audited, so it is audited once */
  leaveDateRefusedFor?: Date | null;
}

export interface GroupDoc {
  _id: string;
  tenant: string;
  version: number;
  created: Date;
  lastModified: Date;
  displayName: string;
  /** lower(displayName): unique per tenant */
  displayNameKey: string;
  externalId?: string;
  /** urn:ietf:params:scim:schemas:extension:roster:2.0:Group */
  roster?: { manager?: ManagerLink };
}

/** One member of one group: adding or removing a member touches one document. */
export interface MembershipDoc {
  _id: string;
  tenant: string;
  groupId: string;
  userId: string;
  created: Date;
  /**
   * The group's displayName, copied so a user's `groups` attribute is read with the memberships
   * alone (one round trip per lookup); kept by the group's claimed writes, absent on memberships
   * written before it existed and while the group is being deleted (readers then ask the group).
   */
  display?: string;
}
