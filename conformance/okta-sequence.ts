/**
 * Okta's provisioning traffic, replayed against any Roster (or SCIM) base URL:
 * the request shapes, headers and expected answers of IDP-TRAFFIC.md (Okta),
 * then the leaver lifecycle of SPEC §4 driven by Okta's deactivation PATCH.
 */
import { randomUUID } from "node:crypto";
import { CreatedResources } from "./created-resources";
import type { Report } from "./report";
import { OKTA_PROFILE, ScimClient, percentFilter, quote } from "./scim-client";
import { ENTERPRISE_USER, GROUP_SCHEMA, PATCH_OP, ROSTER_GROUP, USER_SCHEMA, groupLeaderOf, managerOf } from "./scim-urns";
import { uniqueSuffix, type SequenceOptions } from "./sequence-options";
import { expectEqual, expectListResponse, expectScimError, expectStatus, expectThat, memberIds, needs } from "./step-failure";

export const SUITE = "okta";

/** Okta's create body (IDP-TRAFFIC, Okta: Create), with this run's names. */
function oktaUser(userName: string, givenName: string, familyName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName, familyName },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: `${givenName} ${familyName}`,
    locale: "en-US",
    externalId: `00u${randomUUID().replace(/-/g, "").slice(0, 17)}`,
    groups: [],
    password: "1mz050nq",
    active: true,
    ...extra,
  };
}

/** The same with an enterprise manager, as Okta sends a mapped `managerId`. */
function oktaUserReportingTo(userName: string, givenName: string, familyName: string, managerId: string): Record<string, unknown> {
  const body = oktaUser(userName, givenName, familyName, { [ENTERPRISE_USER]: { manager: { value: managerId } } });
  body.schemas = [USER_SCHEMA, ENTERPRISE_USER];
  return body;
}

const activePatch = (active: boolean) => ({ schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] });
const renamePatch = (id: string, displayName: string) => ({ schemas: [PATCH_OP], Operations: [{ op: "replace", value: { id, displayName } }] });

/** Runs Okta's sequence against `baseUrl` (e.g. `http://localhost:8080/scim/v2`) with a SCIM bearer token. */
export async function run(baseUrl: string, token: string, report: Report, options: SequenceOptions = {}): Promise<void> {
  const client = new ScimClient(baseUrl, token, OKTA_PROFILE);
  const s = options.suffix ?? uniqueSuffix();
  const created = new CreatedResources(client, report);
  const step = (name: string, body: () => Promise<void>) => report.step(SUITE, name, body);
  const getUser = async (id: string) => {
    const answer = await client.get(`/Users/${id}`);
    expectStatus(answer, 200);
    return answer;
  };
  const getGroup = async (id: string) => {
    const answer = await client.get(`/Groups/${id}`);
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
  const lookup = (userName: string) => client.get(`/Users?filter=${percentFilter(`userName eq ${quote(userName)}`)}&startIndex=1&count=100`);

  const userName = `test.user.${s}@okta.local`;
  let userId: string | undefined;

  // ---- users -------------------------------------------------------------
  const connected = await step("test connection: a userName filter with a random GUID answers an empty ListResponse [GET /Users?filter → 200]", async () => {
    const answer = await lookup(randomUUID());
    expectListResponse(answer, 0);
    expectEqual(answer.body.Resources, [], "Resources", answer);
  });
  if (!connected) {
    // as the identity providers do: no provisioning until the test connection passes
    report.note(`${SUITE}: stopped, the test connection failed`);
    return;
  }

  await step("lookup before create finds nothing [GET /Users?filter=userName eq upper-cased&startIndex=1&count=100 → 200, totalResults 0]", async () => {
    expectListResponse(await lookup(userName.toUpperCase()), 0);
  });

  await step("creates the user with Okta's body, placeholder password and groups:[] [POST /Users → 201]", async () => {
    const answer = await client.post("/Users", oktaUser(userName, "Test", "User"));
    expectStatus(answer, 201);
    created.add("Users", answer.body?.id);
    userId = answer.body?.id;
    expectThat(typeof userId === "string" && userId.length > 0, "the created user has no id", answer);
    expectEqual(answer.body.userName, userName, "userName", answer);
    expectEqual(answer.body.active, true, "active", answer);
    expectEqual(answer.body.name?.familyName, "User", "name.familyName", answer);
    expectEqual(answer.body.emails?.[0]?.value, userName, "emails[0].value", answer);
    expectThat(!("password" in answer.body), "the answer returns the password", answer);
    expectThat(answer.body.meta?.location, "meta.location is missing", answer);
  });

  await step("lookup matches the user when the userName differs only in case [GET /Users?filter=userName eq UPPER → 1 result]", async () => {
    const id = needs(userId, "the user");
    const answer = await lookup(userName.toUpperCase());
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, id, "Resources[0].id", answer);
    expectEqual(resources[0]?.userName, userName, "Resources[0].userName", answer);
  });

  await step("refuses a duplicate create with a 409 uniqueness error [POST /Users same userName → 409]", async () => {
    needs(userId, "the user");
    expectScimError(await client.post("/Users", oktaUser(userName, "Test", "User")), 409, "uniqueness");
  });

  await step("reads the user by id as application/scim+json with an ETag [GET /Users/{id} → 200]", async () => {
    const answer = await getUser(needs(userId, "the user"));
    expectThat((answer.headers.get("content-type") ?? "").startsWith("application/scim+json"), `content-type is ${answer.headers.get("content-type")}`, answer);
    expectEqual(answer.body.id, userId, "id", answer);
    expectEqual(answer.body.userName, userName, "userName", answer);
    expectThat(answer.headers.get("etag"), "no ETag header", answer);
    expectEqual(answer.headers.get("etag"), answer.body.meta?.version, "ETag vs meta.version", answer);
    expectThat(!("password" in answer.body), "the answer returns the password", answer);
  });

  await step("import pages with integer paging fields [GET /Users?startIndex=1&count=100 → 200]", async () => {
    const answer = await client.get("/Users?startIndex=1&count=100");
    const resources = expectListResponse(answer);
    expectThat(answer.body.totalResults >= 1, "totalResults < 1 after a create", answer);
    expectEqual(answer.body.startIndex, 1, "startIndex", answer);
    expectEqual(answer.body.itemsPerPage, resources.length, "itemsPerPage vs Resources.length", answer);
    expectThat(resources.length <= 100, "more than count=100 resources", answer);
  });

  await step("updates the profile by PUT of the full object from GET (id, groups, meta) [PUT /Users/{id} → 200]", async () => {
    const current = (await getUser(needs(userId, "the user"))).body;
    const body = { ...current, name: { ...current.name, familyName: "Updated" }, displayName: "Test Updated" };
    const answer = await client.put(`/Users/${userId}`, body);
    expectStatus(answer, 200);
    expectEqual(answer.body.name?.familyName, "Updated", "name.familyName", answer);
    expectEqual(answer.body.displayName, "Test Updated", "displayName", answer);
    expectEqual(answer.body.id, userId, "id", answer);
    const again = await getUser(userId!);
    expectEqual(again.body.name?.familyName, "Updated", "name.familyName on GET", again);
  });

  await step("accepts a password push and never returns it [PATCH replace value {password} → 200]", async () => {
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { password: "n3wPassw0rd!" } }] });
    expectStatus(answer, 200);
    expectThat(!("password" in (answer.body ?? {})), "the answer returns the password", answer);
  });

  await step("deactivates with Okta's path-less PATCH [PATCH {op:replace,value:{active:false}} → 200 active:false]", async () => {
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, activePatch(false));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, false, "active", answer);
  });

  await step("still returns the deactivated user by id with active:false [GET /Users/{id} → 200]", async () => {
    const answer = await getUser(needs(userId, "the user"));
    expectEqual(answer.body.active, false, "active", answer);
  });

  await step("still finds the deactivated user by userName filter with active:false [GET /Users?filter → 1 result]", async () => {
    needs(userId, "the user");
    const answer = await lookup(userName);
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, userId, "Resources[0].id", answer);
    expectEqual(resources[0]?.active, false, "Resources[0].active", answer);
  });

  await step("reactivates with the same PATCH and true [PATCH {op:replace,value:{active:true}} → 200 active:true]", async () => {
    const answer = await client.patch(`/Users/${needs(userId, "the user")}`, activePatch(true));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, true, "active", answer);
    expectEqual((await getUser(userId!)).body.active, true, "active on GET");
  });

  await step("deactivates and reactivates by PUT, as wizard-built apps do [PUT active:false → 200, PUT active:true → 200]", async () => {
    const current = (await getUser(needs(userId, "the user"))).body;
    const off = await client.put(`/Users/${userId}`, { ...current, active: false });
    expectStatus(off, 200);
    expectEqual(off.body.active, false, "active after PUT false", off);
    expectEqual((await getUser(userId!)).body.active, false, "active on GET after PUT false");
    const on = await client.put(`/Users/${userId}`, { ...off.body, active: true });
    expectStatus(on, 200);
    expectEqual(on.body.active, true, "active after PUT true", on);
  });

  // ---- group push -------------------------------------------------------
  const memberNames = [2, 3, 4].map((n) => `test.member${n}.${s}@okta.local`);
  const members: string[] = [];
  let groupId: string | undefined;
  let groupName = `Test SCIMv2 ${s}`;

  await step("creates three more users to push as group members [POST /Users ×3 → 201]", async () => {
    for (const [i, name] of memberNames.entries()) members.push(await createUser(oktaUser(name, "Member", `No${i + 2}`)));
  });
  const [u1, u2, u3, u4] = [() => needs(userId, "the user"), () => needs(members[0], "member 2"), () => needs(members[1], "member 3"), () => needs(members[2], "member 4")];

  await step("creates a pushed group with no members [POST /Groups {displayName, members:[]} → 201]", async () => {
    const answer = await client.post("/Groups", { schemas: [GROUP_SCHEMA], displayName: groupName, members: [] });
    expectStatus(answer, 201);
    created.add("Groups", answer.body?.id);
    groupId = answer.body?.id;
    expectThat(typeof groupId === "string" && groupId.length > 0, "the created group has no id", answer);
    expectEqual(answer.body.displayName, groupName, "displayName", answer);
    expectEqual(memberIds(answer.body), [], "members", answer);
  });

  await step("renames the group with a path-less replace whose value carries the id [PATCH {op:replace,value:{id,displayName}} → 200/204]", async () => {
    const id = needs(groupId, "the group");
    groupName = `Test SCIMv2 ${s} renamed`;
    expectStatus(await client.patch(`/Groups/${id}`, renamePatch(id, groupName)), 200, 204);
    const answer = await getGroup(id);
    expectEqual(answer.body.displayName, groupName, "displayName on GET", answer);
    expectEqual(answer.body.id, id, "id", answer);
  });

  await step("adds members after the rename Okta sends with every membership update [PATCH add path members → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, renamePatch(id, groupName)), 200, 204);
    const add = {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "members", value: [{ value: u1(), display: userName }, { value: u2(), display: memberNames[0] }, { value: u3(), display: memberNames[1] }] }],
    };
    expectStatus(await client.patch(`/Groups/${id}`, add), 200, 204);
    const answer = await getGroup(id);
    expectEqual(memberIds(answer.body), [u1(), u2(), u3()].sort(), "members on GET", answer);
    expectEqual(answer.body.displayName, groupName, "displayName on GET", answer);
  });

  await step("shows the group in a member's groups attribute [GET /Users/{member} → groups[].value]", async () => {
    const id = needs(groupId, "the group");
    const answer = await getUser(u2());
    expectThat((answer.body.groups ?? []).some((g: { value?: string }) => g.value === id), "the member's groups do not list the group", answer);
  });

  await step("removes one member by filter and adds another in one PATCH, keeping the rest [remove members[value eq …] + add → 200/204]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.patch(`/Groups/${id}`, renamePatch(id, groupName)), 200, 204);
    const body = {
      schemas: [PATCH_OP],
      Operations: [
        { op: "remove", path: `members[value eq ${quote(u1())}]` },
        { op: "add", path: "members", value: [{ value: u4(), display: memberNames[2] }] },
      ],
    };
    expectStatus(await client.patch(`/Groups/${id}`, body), 200, 204);
    const answer = await getGroup(id);
    expectEqual(memberIds(answer.body), [u2(), u3(), u4()].sort(), "members on GET", answer);
  });

  await step("replaces the whole member list [PATCH replace path members value [..] → 200/204]", async () => {
    const id = needs(groupId, "the group");
    const body = { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "members", value: [{ value: u2() }, { value: u1() }] }] };
    expectStatus(await client.patch(`/Groups/${id}`, body), 200, 204);
    const answer = await getGroup(id);
    expectEqual(memberIds(answer.body), [u1(), u2()].sort(), "members on GET", answer);
  });

  await step("finds the group by displayName without its members [GET /Groups?excludedAttributes=members&filter=displayName eq … → 1 result]", async () => {
    const id = needs(groupId, "the group");
    const answer = await client.get(`/Groups?excludedAttributes=members&filter=${percentFilter(`displayName eq ${quote(groupName)}`)}`);
    const resources = expectListResponse(answer, 1);
    expectEqual(resources[0]?.id, id, "Resources[0].id", answer);
    expectEqual(resources[0]?.displayName, groupName, "Resources[0].displayName", answer);
    expectThat(!("members" in (resources[0] ?? {})), "members were returned despite excludedAttributes=members", answer);
  });

  await step("replaces the group by PUT, as wizard-built apps do [PUT /Groups/{id} → 200]", async () => {
    const id = needs(groupId, "the group");
    const answer = await client.put(`/Groups/${id}`, { schemas: [GROUP_SCHEMA], id, displayName: groupName, members: [{ value: u3(), display: memberNames[1] }] });
    expectStatus(answer, 200);
    expectEqual(memberIds(answer.body), [u3()], "members in the answer", answer);
    const again = await getGroup(id);
    expectEqual(memberIds(again.body), [u3()], "members on GET", again);
  });

  await step("answers 404 with a SCIM error for an unknown user id [GET /Users/{random} → 404]", async () => {
    expectScimError(await client.get(`/Users/${randomUUID()}`), 404);
  });

  await step("answers 404 with a SCIM error for an unknown group id [GET /Groups/{random} → 404]", async () => {
    expectScimError(await client.get(`/Groups/${randomUUID()}`), 404);
  });

  await step("deletes the group on unlink and keeps its users [DELETE /Groups/{id} → 204, GET → 404, member GET → 200]", async () => {
    const id = needs(groupId, "the group");
    expectStatus(await client.delete(`/Groups/${id}`), 204);
    created.forget(id);
    expectScimError(await client.get(`/Groups/${id}`), 404);
    const member = await getUser(u3());
    expectEqual(member.body.active, true, "the member's active", member);
    expectThat(!(member.body.groups ?? []).some((g: { value?: string }) => g.value === id), "the member still lists the deleted group", member);
  });

  // ---- lifecycle: a team leader leaves (SPEC §4 Deactivate 3) --------------
  let managerId: string | undefined;
  let leaderId: string | undefined;
  let reportId: string | undefined;
  let ledGroupId: string | undefined;

  await step("lifecycle: sets up a manager, a team leader reporting to them, a direct report and a group the leader leads [POST ×4 → 201]", async () => {
    managerId = await createUser(oktaUser(`lc.manager.${s}@okta.local`, "Mona", "Manager"));
    leaderId = await createUser(oktaUserReportingTo(`lc.leader.${s}@okta.local`, "Leo", "Leader", managerId));
    reportId = await createUser(oktaUserReportingTo(`lc.report.${s}@okta.local`, "Rita", "Report", leaderId));
    const group = await client.post("/Groups", { schemas: [GROUP_SCHEMA, ROSTER_GROUP], displayName: `Team Leo ${s}`, members: [{ value: reportId }], [ROSTER_GROUP]: { manager: { value: leaderId } } });
    expectStatus(group, 201);
    created.add("Groups", group.body?.id);
    ledGroupId = group.body?.id;
    expectEqual(groupLeaderOf(group.body), leaderId, "the group's leader", group);
    const report = await getUser(reportId);
    expectEqual(managerOf(report.body), leaderId, "the report's manager", report);
  });

  await step("lifecycle: deactivates the team leader with Okta's PATCH [PATCH {op:replace,value:{active:false}} → 200]", async () => {
    const answer = await client.patch(`/Users/${needs(leaderId, "the leader")}`, activePatch(false));
    expectStatus(answer, 200);
    expectEqual(answer.body?.active, false, "active", answer);
  });

  await step("lifecycle: hands the direct report to the leader's own manager [GET report → manager.value = leader's manager]", async () => {
    needs(leaderId, "the leader");
    const answer = await getUser(needs(reportId, "the report"));
    expectEqual(managerOf(answer.body), managerId, "the report's manager", answer);
  });

  await step("lifecycle: hands the group the leader led to the same successor [GET group → roster manager.value]", async () => {
    needs(leaderId, "the leader");
    const answer = await getGroup(needs(ledGroupId, "the led group"));
    expectEqual(groupLeaderOf(answer.body), managerId, "the group's leader", answer);
    expectEqual(memberIds(answer.body), [reportId], "the group's members", answer);
  });

  await step("lifecycle: keeps the deactivated leader's profile and own manager link [GET leader → active:false, manager kept]", async () => {
    const answer = await getUser(needs(leaderId, "the leader"));
    expectEqual(answer.body.active, false, "active", answer);
    expectEqual(managerOf(answer.body), managerId, "the leader's own manager", answer);
    expectEqual(answer.body.name?.givenName, "Leo", "name.givenName", answer);
  });

  await step("lifecycle: reactivating the leader leaves the reports reassigned [PATCH active:true → 200; GET report]", async () => {
    expectStatus(await client.patch(`/Users/${needs(leaderId, "the leader")}`, activePatch(true)), 200);
    const answer = await getUser(needs(reportId, "the report"));
    expectEqual(managerOf(answer.body), managerId, "the report's manager", answer);
  });

  let loneLeaderId: string | undefined;
  let loneReportId: string | undefined;
  await step("lifecycle: sets up a team leader with no manager and a direct report [POST ×2 → 201]", async () => {
    loneLeaderId = await createUser(oktaUser(`lc.lone.${s}@okta.local`, "Lone", "Leader"));
    loneReportId = await createUser(oktaUserReportingTo(`lc.lonereport.${s}@okta.local`, "Remy", "Report", loneLeaderId));
  });

  await step("lifecycle: deactivates that leader with Okta's PATCH [→ 200]", async () => {
    expectStatus(await client.patch(`/Users/${needs(loneLeaderId, "the leader")}`, activePatch(false)), 200);
  });

  const noSuccessor = options.ownerId === undefined;
  await step(
    noSuccessor
      ? "lifecycle: clears the report's manager when there is neither an active manager nor an owner [GET report → no manager]"
      : "lifecycle: hands the report to the account owner when the leader has no manager [GET report → manager.value = owner]",
    async () => {
      needs(loneLeaderId, "the leader");
      const answer = await getUser(needs(loneReportId, "the report"));
      const hint = noSuccessor ? " (if this tenant has an owner, pass --owner <id>)" : "";
      expectEqual(managerOf(answer.body), options.ownerId, `the report's manager${hint}`, answer);
    },
  );

  if (!options.keep) await created.deleteAll();
}
