import { AdministratorModel } from "./administrator-model";
import { AuditModel } from "./audit-model";
import { CredentialModel } from "./credential-model";
import { EventDeliveryModel, EventKeyModel, EventSubscriptionModel } from "./event-model";
import { GroupModel } from "./group-model";
import { LeaseModel } from "./lease-model";
import { MembershipModel } from "./membership-model";
import { OAuthAccessTokenModel } from "./oauth-access-token-model";
import { OAuthClientModel } from "./oauth-client-model";
import { OrganizationModel } from "./organization-model";
import { OrganizationSeatModel } from "./organization-seat-model";
import { TenantModel } from "./tenant-model";
import { TokenModel } from "./token-model";
import { TransitionModel } from "./transition-model";
import { UserModel } from "./user-model";

export { AdministratorModel, AuditModel, CredentialModel, EventDeliveryModel, EventKeyModel, EventSubscriptionModel, GroupModel, LeaseModel, MembershipModel, OAuthAccessTokenModel, OAuthClientModel, OrganizationModel, OrganizationSeatModel, TenantModel, TokenModel, TransitionModel, UserModel };
export type { AdministratorDoc } from "./administrator-model";
export type { AuditDoc } from "./audit-model";
export type { CredentialDoc } from "./credential-model";
export type { EventDeliveryDoc, EventKeyDoc, EventSubscriptionDoc } from "./event-model";
export type { OAuthAccessTokenDoc } from "./oauth-access-token-model";
export type { OAuthClientDoc } from "./oauth-client-model";
export type { OrganizationDoc } from "./organization-model";
export type { OrganizationSeatDoc } from "./organization-seat-model";
export type { TenantDoc } from "./tenant-model";
export type { TokenDoc } from "./token-model";
export type { TransitionDoc } from "./transition-model";

const ALL_MODELS = [UserModel, GroupModel, MembershipModel, TenantModel, TokenModel, AuditModel, TransitionModel, CredentialModel, LeaseModel, OAuthClientModel, OAuthAccessTokenModel, AdministratorModel, EventSubscriptionModel, EventDeliveryModel, EventKeyModel, OrganizationModel, OrganizationSeatModel];

/** Creates the collections' indexes (idempotent; run at start-up). */
export async function ensureIndexes(): Promise<void> {
  for (const model of ALL_MODELS) await model.createIndexes();
}
