/**
 * Microsoft Entra ID's provisioning traffic, replayed against any Roster (or
 * SCIM) base URL: the request shapes of IDP-TRAFFIC.md (Entra) in both the
 * default and the `aadOptscim062020` mode, then the leaver lifecycle of SPEC §4
 * driven by Entra's disable and hard delete.
 */
import { randomUUID } from "node:crypto";
import { CreatedResources } from "./created-resources";
import type { Report } from "./report";
import { ENTRA_PROFILE, ScimClient, percentFilter, plusFilter, quote } from "./scim-client";
import { ENTERPRISE_USER, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA, managerOf } from "./scim-urns";
import { uniqueSuffix, type SequenceOptions } from "./sequence-options";
import { expectEqual, expectListResponse, expectScimError, expectStatus, expectThat, memberIds, needs } from "./step-failure";

export const SUITE = "entra";

/** Entra's create body (IDP-TRAFFIC, Entra: Create), read-only `meta` included. */
function entraUser(userName: string, givenName: string, familyName: string): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER],
    externalId: randomUUID(),
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: `${userName}@testuser.com` }],
    meta: { resourceType: "User" },
    name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
    roles: [],
  };
}

const patch = (...Operations: Array<Record<string, unknown>>) => ({ schemas: [PATCH_OP], Operations });
const MANAGER_PATH = `${ENTERPRISE_USER}:manager`;
/** Disable/enable, default mode: a string boolean and `Replace` (IDP-TRAFFIC, Entra: Disable). */
const activeDefault = (active: boolean) => patch({ op: "Replace", path: "active", value: active ? "True" : "False" });
/** Disable/enable with the `aadOptscim062020` flag: a real boolean. */
const activeFlagged = (active: boolean) => patch({ op: "replace", path: "active", value: active });

/** Runs Entra's sequence against `baseUrl` (e.g. `http://localhost:8080/scim/v2`) with a SCIM bearer token. */
export async function run(baseUrl: string, token: string, report: Report, options: SequenceOptions = {}): Promise<void> {
  const client = new ScimClient(baseUrl, token, ENTRA_PROFILE);
  const s = options.suffix ?? uniqueSuffix();
  const created = new CreatedResources(client, report);
  const step = (name: string, body: () => Promise<void>) => report.step(SUITE, name, body);
  const getUser = async (id: string) => {
    const answer = await client.get(`/Users/${id}`);
    expectStatus(answer, 200);
    return answer;
  };
  const getGroup = async (id: string, query = "") => {
    const answer = await client.get(`/Groups/${id}${query}`);
    expectStatus(answer, 200);
    return answer;
  };
  const createUser = async (body: Record<string, unknown>) => {
    const answer = await client.post("/Users", body);
    expectStatus(answer, 201);
    created.add("Users", answer.body?.id);
    expectThat(typeof answer.body?.id === "string", "the created user has no id", answer);
    return answer.body.id as string;
  };
  /** Entra's query: `+` for spaces, no paging parameters. */
  const query = (resource: "Users" | "Groups", expression: string, extra = "") => client.get(`/${resource}?${extra}filter=${plusFilter(expression)}`);

  const userName = `Test_User_${s}`;
  const body = entraUser(userName, "givenName", "familyName");
  let userId: string | undefined;

  // ---- users -------------------------------------------------------------
  const connected = await step("test connection: a userName filter with a random GUID answers an empty ListResponse [GET /Users?filter=userName+eq+\"<guid>\" → 200]", async () => {
    const answer = await query("Users", `userName eq ${quote(randomUUID())}`);
    expectListResponse(answer, 0);
    expectEqual(answer.body.Resources, [], "Resources", answer);
  });
  if (!connected) {
    // as the identity providers do: no provisioning until the test connection passes
    report.note(`${SUITE}: stopped, the test connection failed`);
    return;
  }

  await step("queries before create by userName and by externalId and finds nothing [GET /Users?filter=… eq … → totalResults 0]", async () => {
    expectListResponse(await query("Users", `userName eq ${quote(userName)}`), 0);
    expectListResponse(await query("Users", `externalId eq ${quote(String(body.externalId))}`), 0);
  });

  await step("creates the user with Entra's body, read-only meta included [POST /Users → 201]", async () => {
    const answer = await client.post("/Users", body);
    expectStatus(answer, 201);
    created.add("Users", answer.body?.id);
    userId = answer.body?.id;
    expectThat(typeof userId === "string" && userId.length > 0, "the created user has no id", answer);
    expectEqual(answer.body.userName, userName, "userName", answer);
    expectEqual(answer.body.externalId, body.externalId, "externalId", answer);
    expectEqual(answer.body.active, true, "active", answer);
    expectEqual(answer.body.name?.givenName, "givenName", "name.givenName", answer);
    expectEqual(answer.body.emails?.[0]?.value, `${userName}@testuser.com`, "emails[0].value", answer);
    expectEqual(answer.body.meta?.resourceType, "User", "meta.resourceType", answer);
  });

  await step("refuses a duplicate create with a 409 uniqueness error [POST /Users same userName → 409]", async () => {
    needs(userId, "the user");
    expectScimError(await client.post("/Users", { ...body, externalId: randomUUID() }), 409, "uniqueness");
  });

  await step("finds the user by id, userName and externalId [GET /Users?filter=… eq … → 1 result each]", async () => {
    const id = needs(userId, "the user");
    for (const expression of [`id eq ${quote(id)}`, `userName eq ${quote(userName)}`, `externalId eq ${quote(String(body.externalId))}`]) {
      const answer = await query("Users", expression);
      const resources = expectListResponse(answer, 1);
      expectEqual(resources[0]?.id, id, `Resources[0].id for ${expression}`, answer);
    }
  });

  await step("finds the user by a value-path matching attribute [GET /Users?filter=emails[type eq \"work\"].value eq … → 1 result]", async () => {
    const id = needs(userId, "the user");
    const answer = await query("Users", `emails[type eq "work"].value eq ${quote(`${userName}@testuser.com`)}`);
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, id, "Resources[0].id", answer);
  });

  await step("reads the user by id [GET /Users/{id} → 200]", async () => {
    const answer = await getUser(needs(userId, "the user"));
    expectEqual(answer.body.id, userId, "id", answer);
    expectEqual(answer.body.userName, userName, "userName", answer);
    expectThat((answer.headers.get("content-type") ?? "").startsWith("application/scim+json"), `content-type is ${answer.headers.get("content-type")}`, answer);
  });

  await step("updates the work email by value path and the family name [PATCH Replace emails[type eq \"work\"].value, name.familyName → 200]", async () => {
    const answer = await client.patch(
      `/Users/${needs(userId, "the user")}`,
      patch({ op: "Replace", path: 'emails[type eq "work"].value', value: `updated.${s}@testuser.com` }, { op: "Replace", path: "name.familyName", value: "F" }),
    );
    expectStatus(answer, 200);
    expectEqual(answer.body?.name?.familyName, "F", "name.familyName", answer);
    const work = (answer.body?.emails ?? []).filter((e: { type?: string }) => e.type === "work");
    expectEqual(work.map((e: { value?: string }) => e.value), [`updated.${s}@testuser.com`], "work emails", answer);
  });

  await step("updates several attributes in one path-less replace with dotted and URN keys [PATCH {op:replace,value:{…}} → 200]", async () => {
    const value = { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENTERPRISE_USER}:employeeNumber`]: "Aklq" };
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, patch({ op: "replace", value }));
    expectStatus(answer, 200);
    const again = await getUser(userId!);
    expectEqual(again.body.displayName, "Bjfe", "displayName", again);
    expectEqual(again.body.name?.givenName, "Kkom", "name.givenName", again);
    expectEqual(again.body.name?.familyName, "Unua", "name.familyName", again);
    expectEqual(again.body[ENTERPRISE_USER]?.employeeNumber, "Aklq", "employeeNumber", again);
    expectThat(!("name.givenName" in again.body), "a dotted key was stored as an attribute", again);
  });

  let managerId: string | undefined;
  await step("links a manager with a bare id string in a separate update [PATCH add …:manager value \"<id>\" → 200; GET manager.value]", async () => {
    managerId = await createUser(entraUser(`Test_Manager_${s}`, "Manny", "Manager"));
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, patch({ op: "add", path: MANAGER_PATH, value: managerId }));
    expectStatus(answer, 200);
    const again = await getUser(userId!);
    expectEqual(managerOf(again.body), managerId, "manager.value", again);
  });

  await step("removes the manager with Replace and an empty value [PATCH Replace …:manager \"\" → 200; GET has no manager]", async () => {
    needs(managerId, "the manager");
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, patch({ op: "Replace", path: MANAGER_PATH, value: "" }));
    expectStatus(answer, 200);
    const again = await getUser(userId!);
    expectEqual(managerOf(again.body), undefined, "manager.value", again);
  });

  await step("disables in default mode [PATCH Replace active \"False\" → 200 active:false]", async () => {
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, activeDefault(false));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, false, "active", answer);
  });

  await step("still returns the disabled user by id and by filter with active:false [GET → 200]", async () => {
    const byId = await getUser(needs(userId, "the user"));
    expectEqual(byId.body.active, false, "active by id", byId);
    const answer = await query("Users", `userName eq ${quote(userName)}`);
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.active, false, "active in the filter result", answer);
  });

  await step("enables in default mode [PATCH Replace active \"True\" → 200 active:true]", async () => {
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, activeDefault(true));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, true, "active", answer);
  });

  await step("disables and enables with the aadOptscim062020 flag [PATCH replace active false/true → 200]", async () => {
    const off = await client.patch(`/Users/${needs(userId, "the user")}`, activeFlagged(false));
    expectStatus(off, 200);
    expectEqual(off.body?.active, false, "active after false", off);
    expectEqual((await getUser(userId!)).body.active, false, "active on GET after false");
    const on = await client.patch(`/Users/${userId}`, activeFlagged(true));
    expectStatus(on, 200);
    expectEqual(on.body?.active, true, "active after true", on);
  });

  await step("accepts the reference collection's quirks: \"active\":\"True\", null attributes, \"Primary\" [POST /Users → 201]", async () => {
    const quirky = {
      schemas: [USER_SCHEMA, ENTERPRISE_USER],
      userName: `Quirk_User_${s}`,
      active: "True",
      nickName: null,
      displayName: "Quirk User",
      emails: [{ Primary: true, type: "work", value: `quirk.${s}@testuser.com` }],
      name: { givenName: "Quirk", familyName: "User", middleName: null },
    };
    const answer = await client.post("/Users", quirky);
    expectStatus(answer, 201);
    created.add("Users", answer.body?.id);
    expectEqual(answer.body.active, true, "active", answer);
    expectThat(answer.body.nickName === undefined, "nickName:null was stored", answer);
    expectEqual(answer.body.emails?.[0]?.primary, true, "emails[0].primary", answer);
  });

  // ---- groups ------------------------------------------------------------
  const memberIdsCreated: string[] = [];
  let groupId: string | undefined;
  let groupName = `Entra Group ${s}`;
  const [m1, m2, m3] = [0, 1, 2].map((i) => () => needs(memberIdsCreated[i], `member ${i + 1}`));

  await step("test connection for groups: a displayName filter with a random GUID answers an empty ListResponse [GET /Groups?excludedAttributes=members&filter → 200]", async () => {
    expectListResponse(await query("Groups", `displayName eq ${quote(randomUUID())}`, "excludedAttributes=members&"), 0);
  });

  await step("creates a group with no members [POST /Groups → 201]", async () => {
    for (const n of [1, 2, 3]) memberIdsCreated.push(await createUser(entraUser(`Test_Member${n}_${s}`, "Member", `No${n}`)));
    const answer = await client.post("/Groups", { schemas: [GROUP_SCHEMA], externalId: randomUUID(), displayName: groupName, meta: { resourceType: "Group" } });
    expectStatus(answer, 201);
    created.add("Groups", answer.body?.id);
    groupId = answer.body?.id;
    expectThat(typeof groupId === "string" && groupId.length > 0, "the created group has no id", answer);
    expectEqual(answer.body.displayName, groupName, "displayName", answer);
    expectEqual(memberIds(answer.body), [], "members", answer);
  });

  await step("adds members one operation each with $ref:null [PATCH Add members [{$ref:null,value}] → 200/204]", async () => {
    const id = needs(groupId, "the group");
    const answer = await client.patch(
      `/Groups/${id}`,
      patch(...[m1(), m2(), m3()].map((value) => ({ op: "Add", path: "members", value: [{ $ref: null, value }] }))),
    );
    expectStatus(answer, 200, 204);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [m1(), m2(), m3()].sort(), "members on GET", again);
  });

  await step("reads the group by id without members [GET /Groups/{id}?excludedAttributes=members → 200]", async () => {
    const answer = await getGroup(needs(groupId, "the group"), "?excludedAttributes=members");
    expectEqual(answer.body.id, groupId, "id", answer);
    expectEqual(answer.body.displayName, groupName, "displayName", answer);
    expectThat(!("members" in answer.body), "members were returned despite excludedAttributes=members", answer);
  });

  await step("finds the group by displayName without members [GET /Groups?excludedAttributes=members&filter=displayName eq … → 1 result]", async () => {
    const id = needs(groupId, "the group");
    const answer = await client.get(`/Groups?excludedAttributes=members&filter=${percentFilter(`displayName eq ${quote(groupName)}`)}`);
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, id, "Resources[0].id", answer);
    expectThat(!("members" in (resources[0] ?? {})), "members were returned despite excludedAttributes=members", answer);
  });

  await step("removes exactly the members named in a value array, default mode [PATCH Remove members value [{value}] → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, patch({ op: "Remove", path: "members", value: [{ value: m1() }] })), 200, 204);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [m2(), m3()].sort(), "members on GET", again);
  });

  await step("removes a member by filter with the aadOptscim062020 flag, keeping the rest [PATCH remove members[value eq …] → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, patch({ op: "remove", path: `members[value eq ${quote(m2())}]` })), 200, 204);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [m3()], "members on GET", again);
  });

  await step("accepts extra keys in an op object, as the reference collection sends [PATCH {op:add,name:addMember,…} → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, patch({ name: "addMember", op: "add", path: "members", value: [{ displayName: "Member", value: m1() }] })), 200, 204);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [m1(), m3()].sort(), "members on GET", again);
  });

  await step("renames the group [PATCH Replace displayName → 200/204] and finds it under DisplayName in another case", async () => {
    const id = needs(groupId, "the group");
    groupName = `Entra Group ${s} renamed`;
    expectStatus(await client.patch(`/Groups/${id}`, patch({ op: "Replace", path: "displayName", value: groupName })), 200, 204);
    const answer = await query("Groups", `DisplayName eq ${quote(groupName)}`, "excludedAttributes=members&");
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, id, "Resources[0].id", answer);
  });

  await step("empties the group with a remove of members that has neither filter nor value [PATCH remove path members → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, patch({ op: "remove", path: "members" })), 200, 204);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [], "members on GET", again);
  });

  await step("answers 404 with a SCIM error for an unknown user or group id [GET /Users/{guid}, /Groups/{guid} → 404]", async () => {
    expectScimError(await client.get(`/Users/${randomUUID()}`), 404);
    expectScimError(await client.get(`/Groups/${randomUUID()}`), 404);
  });

  await step("deletes the group [DELETE /Groups/{id} → 204, then GET → 404]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.delete(`/Groups/${id}`), 204);
    created.forget(id);
    expectScimError(await client.get(`/Groups/${id}`), 404);
    expectEqual((await getUser(m3())).body.active, true, "a former member's active");
  });

  await step("hard-deletes the user [DELETE /Users/{id} → 204, then GET → 404, filter → 0, second DELETE → 404]", async () => {
    const id = needs(userId, "the user");
    expectStatus(await client.delete(`/Users/${id}`), 204);
    created.forget(id);
    expectScimError(await client.get(`/Users/${id}`), 404);
    expectListResponse(await query("Users", `userName eq ${quote(userName)}`), 0);
    expectScimError(await client.delete(`/Users/${id}`), 404);
  });

  await step("provisions the deleted userName again as a new user [POST /Users → 201 with a new id]", async () => {
    const id = needs(userId, "the deleted user");
    const answer = await client.post("/Users", { ...body, externalId: randomUUID() });
    expectStatus(answer, 201);
    created.add("Users", answer.body?.id);
    expectThat(answer.body?.id !== id, "the new user reuses the removed user's id", answer);
  });

  // ---- lifecycle: a team leader leaves (SPEC §4) ------------------------------
  let bossId: string | undefined;
  let leaderId: string | undefined;
  let reportId: string | undefined;
  await step("lifecycle: creates a manager, a team leader and a direct report, then links managers in separate updates [POST ×3, PATCH ×2 → 200]", async () => {
    bossId = await createUser(entraUser(`Lc_Boss_${s}`, "Bea", "Boss"));
    leaderId = await createUser(entraUser(`Lc_Leader_${s}`, "Lars", "Leader"));
    reportId = await createUser(entraUser(`Lc_Report_${s}`, "Rosa", "Report"));
    expectStatus(await client.patch(`/Users/${leaderId}`, patch({ op: "add", path: MANAGER_PATH, value: bossId })), 200);
    expectStatus(await client.patch(`/Users/${reportId}`, patch({ op: "add", path: MANAGER_PATH, value: leaderId })), 200);
    const report = await getUser(reportId);
    expectEqual(managerOf(report.body), leaderId, "the report's manager", report);
  });

  await step("lifecycle: disables the team leader in default mode [PATCH Replace active \"False\" → 200]", async () => {
    const answer = await client.patch(`/Users/${needs(leaderId, "the leader")}`, activeDefault(false));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, false, "active", answer);
  });

  await step("lifecycle: hands the direct report to the leader's own manager [GET report → manager.value]", async () => {
    needs(leaderId, "the leader");
    const answer = await getUser(needs(reportId, "the report"));
    expectEqual(managerOf(answer.body), bossId, "the report's manager", answer);
  });

  let loneLeaderId: string | undefined;
  let loneReportId: string | undefined;
  await step("lifecycle: creates a team leader with no manager and a direct report [POST ×2, PATCH manager → 200]", async () => {
    loneLeaderId = await createUser(entraUser(`Lc_Lone_${s}`, "Lone", "Leader"));
    loneReportId = await createUser(entraUser(`Lc_LoneReport_${s}`, "Remy", "Report"));
    expectStatus(await client.patch(`/Users/${loneReportId}`, patch({ op: "add", path: MANAGER_PATH, value: loneLeaderId })), 200);
  });

  await step("lifecycle: hard-deletes that leader [DELETE /Users/{id} → 204]", async () => {
    const id = needs(loneLeaderId, "the leader");
    expectStatus(await client.delete(`/Users/${id}`), 204);
    created.forget(id);
  });

  const noSuccessor = options.ownerId === undefined;
  await step(
    noSuccessor
      ? "lifecycle: clears the report's manager when there is neither an active manager nor an owner [GET report → no manager]"
      : "lifecycle: hands the report to the account owner when the removed leader had no manager [GET report → manager.value = owner]",
    async () => {
      needs(loneLeaderId, "the leader");
      const answer = await getUser(needs(loneReportId, "the report"));
      const hint = noSuccessor ? " (if this tenant has an owner, pass --owner <id>)" : "";
      expectEqual(managerOf(answer.body), options.ownerId, `the report's manager${hint}`, answer);
    },
  );

  if (!options.keep) await created.deleteAll();
}
