import { RosterError } from "../domain/roster-error";
import {
  deleteUnusedOrganization,
  findOrganization,
  findOrganizationTenants,
  insertOrganization,
  listOrganizations,
  setTenantOrganization,
  updateOrganization,
  type OrganizationDoc,
} from "../store/organization-store";
import { addTenantToOrganizationSeats, countOrganizationSeats, removeTenantFromOrganizationSeats } from "../store/organization-seat-store";
import { getRuntime } from "./context";
import { loadTenantSettings } from "./tenant-policy";
import { validatePayload } from "./validate-payload";

/** An organization as the admin API shows it: its settings, its seats used and its tenants. */
export interface OrganizationView {
  id: string;
  name: string;
  seatLimit: number | null;
  used: number;
  tenants: string[];
}

async function viewOf(doc: OrganizationDoc): Promise<OrganizationView> {
  return { id: doc._id, name: doc.name, seatLimit: doc.seatLimit, used: await countOrganizationSeats(doc._id), tenants: await findOrganizationTenants(doc._id) };
}

async function loadOrganization(id: string): Promise<OrganizationDoc> {
  const doc = await findOrganization(id);
  if (!doc) throw RosterError.notFound(`Organization ${id} not found`);
  return doc;
}

/** POST /organizations `{id, name?, seatLimit?}` (schemas/admin-organization-create.schema.json); 409 when the id is taken. */
export async function addOrganization(payload: unknown): Promise<OrganizationView> {
  const { id, name, seatLimit } = validatePayload<{ id: string; name?: string; seatLimit: number | null }>("organizationCreate", payload);
  const doc: OrganizationDoc = { _id: id, name: name ?? id, seatLimit, created: getRuntime().now() };
  if (!(await insertOrganization(doc))) throw RosterError.conflict(`Organization ${id} already exists`);
  return { id, name: doc.name, seatLimit, used: 0, tenants: [] };
}

export async function listOrganizationViews(): Promise<OrganizationView[]> {
  return Promise.all((await listOrganizations()).map(viewOf));
}

export async function getOrganization(id: string): Promise<OrganizationView> {
  return viewOf(await loadOrganization(id));
}

/** PUT /organizations/{id}: replaces name and seatLimit (omitted: the id, unlimited). A lower limit refuses creates, never removes anyone. */
export async function replaceOrganization(id: string, payload: unknown): Promise<OrganizationView> {
  const { name, seatLimit } = validatePayload<{ name?: string; seatLimit: number | null }>("organizationUpdate", payload);
  if (!(await updateOrganization(id, { name: name ?? id, seatLimit }))) throw RosterError.notFound(`Organization ${id} not found`);
  return getOrganization(id);
}

/** DELETE /organizations/{id}: 409 while any tenant is attached. */
export async function deleteOrganization(id: string): Promise<void> {
  const outcome = await deleteUnusedOrganization(id, getRuntime().now());
  if (outcome === "notFound") throw RosterError.notFound(`Organization ${id} not found`);
  if (outcome === "inUse") {
    const tenants = await findOrganizationTenants(id);
    throw RosterError.conflict(`Organization ${id} still has tenants attached (${tenants.join(", ")}): detach them first`, { tenants });
  }
}

/** GET /tenants/{t}/organization → `{organizationId}` (null when none). */
export async function getTenantOrganization(tenant: string): Promise<{ organizationId: string | null }> {
  const { tenant: doc } = await loadTenantSettings(tenant);
  return { organizationId: doc.organizationId ?? null };
}

/**
 * PUT /tenants/{t}/organization `{organizationId}`: attaches the tenant (its people
 * join the organization's seats, each counted once), moves it, or detaches it with
 * null (its people leave, freeing the seats no other tenant holds). Attaching may
 * bring the organization above its limit, as lowering a limit does: it refuses
 * creates from then on and removes no one.
 */
export async function changeTenantOrganization(tenant: string, payload: unknown): Promise<{ organizationId: string | null }> {
  const { organizationId } = validatePayload<{ organizationId: string | null }>("tenantOrganization", payload);
  const { tenant: doc } = await loadTenantSettings(tenant);
  const previous = doc.organizationId ?? null;
  if (organizationId !== null) await loadOrganization(organizationId);
  if (previous === organizationId) return { organizationId };

  if (!(await setTenantOrganization(tenant, organizationId))) throw RosterError.notFound(`Tenant ${tenant} not found`);
  // a DELETE of the organization that raced this attach: it did not see the tenant, or we see its mark
  if (organizationId !== null && !(await findOrganization(organizationId))) {
    await setTenantOrganization(tenant, previous);
    throw RosterError.notFound(`Organization ${organizationId} not found`);
  }
  if (previous !== null) await removeTenantFromOrganizationSeats(previous, tenant);
  if (organizationId !== null) await addTenantToOrganizationSeats(organizationId, tenant);
  return { organizationId };
}
