import { expect } from "chai";
import { queryAudit } from "../../src/store/audit-store";
import { userBody, type HttpResult, type TestServer, type TestTenant } from "../support/test-server";
import { createGroup, createUser, memberIds, patchOp } from "../support/scim";
import { freshTenant, sharedTestServer } from "../support/shared-server";
import { givePolicy } from "../support/admin";
import { CORE_GROUP, BULK_REQUEST } from "../support/urns";
import { seededRandom } from "../../bench/seeded-random";

const CLIENTS = 10;
const OPERATIONS_PER_CLIENT = 24;
const USERS = 12;
const GROUPS = 2;


interface Outcome {
  requestId: string;
  status: number;
  /** the write changes something whenever it succeeds, so it must leave an audit entry */
  mustAudit: boolean;
}

/**
 * One client's random operations, one at a time: member add/remove/replace, group PUT and
 * renames (alone and in /Bulk), user PATCH/PUT, deactivate/reactivate, with and without If-Match.
 */
async function runClient(tenant: TestTenant, client: number, random: () => number, users: string[], groups: string[]): Promise<Outcome[]> {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const some = (): string[] => users.filter(() => random() < 0.3);
  const outcomes: Outcome[] = [];
  for (let n = 0; n < OPERATIONS_PER_CLIENT; n++) {
    const requestId = `oracle-${client}-${n}`;
    const unique = `c${client}n${n}`;
    const withIfMatch = random() < 0.3;
    const headers: Record<string, string> = { "X-Request-Id": requestId };
    const group = pick(groups);
    const user = pick(users);
    const ifMatchOf = async (path: string) => {
      if (withIfMatch) headers["If-Match"] = (await tenant.scim("GET", path)).headers.get("etag") ?? "";
    };
    let result: HttpResult;
    let mustAudit = false;
    const kind = Math.floor(random() * 10);
    switch (kind) {
      case 0:
      case 1: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "add", path: "members", value: [{ value: user }, { value: pick(users) }] }), headers);
        break;
      }
      case 2: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "remove", path: `members[value eq "${user}"]` }), headers);
        break;
      }
      case 3: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "replace", path: "members", value: some().map((value) => ({ value })) }), headers);
        break;
      }
      case 4: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PUT", `/Groups/${group}`, { schemas: [CORE_GROUP], displayName: `Group ${unique}`, members: some().map((value) => ({ value })) }, headers);
        mustAudit = true;
        break;
      }
      case 5: {
        const rename = random() < 0.5;
        const bulk = await tenant.scim(
          "POST",
          "/Bulk",
          {
            schemas: [BULK_REQUEST],
            Operations: [
              {
                method: "PATCH",
                path: `/Groups/${group}`,
                data: rename ? patchOp({ op: "replace", path: "displayName", value: `Bulk ${unique}` }) : patchOp({ op: "add", path: "members", value: [{ value: user }] }),
              },
            ],
          },
          headers,
        );
        const status = bulk.status === 200 ? Number(bulk.body.Operations[0].status) : bulk.status;
        result = { ...bulk, status };
        mustAudit = rename;
        break;
      }
      case 6: {
        await ifMatchOf(`/Groups/${group}`);
        result = await tenant.scim("PATCH", `/Groups/${group}`, patchOp({ op: "replace", path: "displayName", value: `Renamed ${unique}` }, { op: "add", path: "members", value: [{ value: user }] }), headers);
        mustAudit = true;
        break;
      }
      case 7: {
        await ifMatchOf(`/Users/${user}`);
        result = await tenant.scim("PATCH", `/Users/${user}`, patchOp({ op: "replace", path: "displayName", value: `User ${unique}` }), headers);
        mustAudit = true;
        break;
      }
      case 8: {
        await ifMatchOf(`/Users/${user}`);
        const userName = `member-${users.indexOf(user)}`;
        result = await tenant.scim("PUT", `/Users/${user}`, userBody(userName, { displayName: `Put ${unique}` }), headers);
        mustAudit = true;
        break;
      }
      default: {
        await ifMatchOf(`/Users/${user}`);
        result = await tenant.scim("PATCH", `/Users/${user}`, patchOp({ op: "replace", path: "active", value: random() < 0.5 ? "False" : true }), headers);
        break;
      }
    }
    outcomes.push({ requestId, status: result.status, mustAudit });
  }
  return outcomes;
}

describe("concurrent writes against an audit-log oracle (SPEC §3, §5, RFC 7644 §3.14)", () => {
  let server: TestServer;
  before(async () => {
    server = await sharedTestServer();
  });

  it("ends in the state a serial replay of the audit log gives, with every successful write audited", async function () {
    this.timeout(120_000);
    await checkAgainstOracle(await freshTenant(server), 20261201);
  });

  it("holds when deactivations drop memberships concurrently [policy groupMembershipsOnDeactivate remove]", async function () {
    this.timeout(120_000);
    const tenant = await freshTenant(server);
    await givePolicy(tenant, { groupMembershipsOnDeactivate: "remove" });
    await checkAgainstOracle(tenant, 20261202);
  });
});

async function checkAgainstOracle(tenant: TestTenant, seed: number): Promise<void> {
  const users: string[] = [];
  for (let index = 0; index < USERS; index++) users.push((await createUser(tenant, `member-${index}`)).id);
  const groups: string[] = [];
  for (let index = 0; index < GROUPS; index++) groups.push((await createGroup(tenant, `Group ${index}`, users.slice(index, index + 4))).id);

  const random = seededRandom(seed);
  const seeds = Array.from({ length: CLIENTS }, () => Math.floor(random() * 2 ** 32));
  const outcomes = (await Promise.all(seeds.map((seed, client) => runClient(tenant, client, seededRandom(seed), users, groups)))).flat();

  // every answer is a success or a precise refusal: never a 5xx
  for (const outcome of outcomes) expect([200, 201, 204, 409, 412], `${outcome.requestId}: ${outcome.status}`).to.include(outcome.status);
  const succeeded = new Set(outcomes.filter((outcome) => outcome.status < 300).map((outcome) => outcome.requestId));
  expect(succeeded.size).to.be.above(outcomes.length / 3);

  const entries = (await queryAudit({ tenant: tenant.id, limit: 100_000 })).reverse();
  const audited = new Set(entries.map((entry) => entry.requestId));
  for (const outcome of outcomes) {
    // a refused write leaves no trace, a successful one that changes something leaves its entry
    if (!succeeded.has(outcome.requestId)) expect(audited.has(outcome.requestId), `${outcome.requestId} failed but is audited`).to.equal(false);
    else if (outcome.mustAudit) expect(audited.has(outcome.requestId), `${outcome.requestId} succeeded but is not audited`).to.equal(true);
  }

  // the member deltas replayed in audit order (at, then id) give the final member sets
  const replayed = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.action !== "group.create" && entry.action !== "group.update") continue;
    const members = replayed.get(entry.target) ?? new Set<string>();
    replayed.set(entry.target, members);
    for (const { value } of (entry.before?.members ?? []) as Array<{ value: string }>) {
      expect(members.has(value), `${entry.requestId} removes ${value}, not a member then`).to.equal(true);
      members.delete(value);
    }
    for (const { value } of (entry.after?.members ?? []) as Array<{ value: string }>) {
      expect(members.has(value), `${entry.requestId} adds ${value}, a member already`).to.equal(false);
      members.add(value);
    }
  }
  for (const group of groups) expect(await memberIds(tenant, group), `members of ${group}`).to.deep.equal([...(replayed.get(group) ?? [])].sort());

  // a user's `active` is that of the last transition the audit log records
  for (const user of users) {
    const transitions = entries.filter((entry) => entry.target === user && (entry.action === "user.deactivate" || entry.action === "user.reactivate"));
    const expected = transitions.length ? transitions[transitions.length - 1].action === "user.reactivate" : true;
    expect((await tenant.scim("GET", `/Users/${user}`)).body.active, `active of ${user}`).to.equal(expected);
  }
}
