import { randomUUID } from "node:crypto";
import type { GroupDoc, MembershipDoc, UserDoc } from "../src/store/documents";
import { GroupModel, MembershipModel, UserModel } from "../src/store/models";
import { newId } from "../src/store/new-id";
import { createTenant, issueToken } from "../src/services/tenant-admin";
import { seededRandom } from "./seeded-random";

/** What the seed put in the database, and the values the scenarios draw from. */
export interface Seeded {
  tenant: string;
  token: string;
  users: number;
  groups: number;
  memberships: number;
  /** every user id in `_id` (= list) order */
  userIds: string[];
  /** a random sample of users, for lookups that vary per request */
  lookups: Array<{ id: string; userName: string; externalId: string; email: string }>;
  bigGroupId: string;
  bigGroupSize: number;
  smallGroupId: string;
  smallGroupSize: number;
  /** users not yet members, one per member-add request */
  bigGroupAddCandidates: string[];
  smallGroupAddCandidates: string[];
  /** leaders with exactly {@link LEADER_REPORTS} direct reports each, one per deactivate request */
  leaderIds: string[];
  /** users who manage nobody and lead nothing, one per plain deactivate request */
  plainDeactivateIds: string[];
  seedSeconds: number;
}

export const LEADER_REPORTS = 20;
const BATCH = 1000;

const GIVEN = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Dennis", "Sophie", "Tim", "Hedy", "Linus", "Karen", "Niklaus", "Shafi", "Leslie", "Whitfield", "Adele", "Butler", "Juris"];
const FAMILY = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton", "Thompson", "Perlman", "Ritchie", "Wilson", "Berners-Lee", "Lamarr", "Torvalds", "Jones", "Wirth", "Goldwasser", "Lamport", "Diffie", "Goldberg", "Lampson", "Hartmanis"];
const DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Support", "Operations", "Legal", "People", "Product", "Research"];
const TITLES = ["Engineer", "Senior Engineer", "Account Executive", "Analyst", "Specialist", "Designer", "Consultant", "Coordinator"];
const ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"];


function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** One user document exactly as the store writes it (src/store/documents.ts), realistic attributes. */
export function userDoc(tenant: string, id: string, i: number, manager: string | undefined, now: Date): UserDoc {
  const given = GIVEN[i % GIVEN.length];
  const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length];
  const userName = `${given}.${family}.${i}@example.com`.toLowerCase();
  const personal = `${given}${family}${i}@mail.example.org`;
  return {
    _id: id,
    tenant,
    version: 1,
    created: now,
    lastModified: now,
    userName,
    userNameKey: userName.toLowerCase(),
    externalId: randomUUID(),
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    displayName: `${given} ${family}`,
    displayNameKey: `${given} ${family}`.toLowerCase(),
    title: TITLES[i % TITLES.length],
    userType: "Employee",
    preferredLanguage: "en-US",
    locale: "en-US",
    timezone: ZONES[i % ZONES.length],
    active: true,
    emails: [
      { value: userName, type: "work", primary: true },
      { value: personal, type: "home" },
    ],
    emailKeys: [userName.toLowerCase(), personal.toLowerCase()],
    phoneNumbers: [{ value: `+1 555 01${String(i % 100).padStart(2, "0")} ${String(i % 10000).padStart(4, "0")}`, type: "work" }],
    addresses: [{ type: "work", locality: "Springfield", region: "CA", country: "US", primary: true }],
    enterprise: {
      employeeNumber: String(100000 + i),
      costCenter: `CC-${1000 + (i % 40)}`,
      organization: "Example Corp",
      division: i % 2 ? "Commercial" : "Platform",
      department: DEPARTMENTS[i % DEPARTMENTS.length],
      ...(manager ? { manager: { value: manager } } : {}),
    },
    deletedAt: null,
  };
}

/**
 * Adds plain users (reporting to `managerId`) to a tenant until it has `total`,
 * returning a sample of them for lookups: the database's floor at a larger size.
 */
export async function growUsers(tenant: string, from: number, total: number, managerId: string, log: (message: string) => void): Promise<{ seconds: number; lookups: Seeded["lookups"] }> {
  const started = Date.now();
  const now = new Date();
  const lookups: Seeded["lookups"] = [];
  const rand = seededRandom(23);
  for (let start = from; start < total; start += BATCH) {
    const docs: UserDoc[] = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      const doc = userDoc(tenant, newId(), i, managerId, now);
      docs.push(doc);
      if (rand() < 20 / (total - from)) lookups.push({ id: doc._id, userName: doc.userName, externalId: doc.externalId!, email: doc.userName });
    }
    await UserModel.collection.insertMany(docs as never[], { ordered: false });
    if (((start - from) / BATCH) % 20 === 19) log(`  users: ${Math.min(total, start + BATCH).toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  }
  return { seconds: (Date.now() - started) / 1000, lookups: shuffle(lookups, rand) };
}

export interface SeedPlan {
  users: number;
  leaders: number;
  plainDeactivations: number;
  /** called after the first tenth of the users is in, so the floor can be timed at two sizes */
  onTenth?: (seeded: { tenant: string; userIds: string[]; lookups: Seeded["lookups"] }) => Promise<void>;
  log: (message: string) => void;
}

/**
 * Seeds a fresh tenant straight into the collections, in the exact shape the
 * stores write (src/store/documents.ts): 1 CEO, `leaders` leaders with 20 reports
 * each, line managers with the rest of the users under them, 1,000 groups
 * (users/100 below 100,000) with one membership per user, one group holding every
 * other user (50,000 of 100,000) and one group of 10.
 */
export async function seedTenant(plan: SeedPlan): Promise<Seeded> {
  const started = Date.now();
  const rand = seededRandom(0x5eed);
  const tenant = `bench-${Date.now().toString(36)}`;
  await createTenant(tenant, "Roster benchmark");
  const { token } = await issueToken(tenant, "bench", "bench", "bench-seed");

  const n = plan.users;
  // uuid v7 ids sort in creation order; sorting makes `_id` order = index order for sure
  const userIds = Array.from({ length: n }, () => newId()).sort();
  const groupCount = Math.min(1000, Math.max(10, Math.round(n / 100)));
  const groupIds = Array.from({ length: groupCount + 2 }, () => newId()).sort();
  const bigGroupId = groupIds[groupCount];
  const smallGroupId = groupIds[groupCount + 1];

  // roles by index: 0 the CEO, then leaders, then their reports, then line managers and staff
  const leaderStart = 1;
  const reportStart = leaderStart + plan.leaders;
  const staffStart = reportStart + plan.leaders * LEADER_REPORTS;
  const lineManagers = Math.max(1, Math.floor((n - staffStart) / 25));
  const lineManagerEnd = staffStart + lineManagers;
  const managerOf = (i: number): string | undefined => {
    if (i === 0) return undefined;
    if (i < reportStart) return userIds[0];
    if (i < staffStart) return userIds[leaderStart + Math.floor((i - reportStart) / LEADER_REPORTS)];
    if (i < lineManagerEnd) return userIds[0];
    return userIds[staffStart + Math.floor(rand() * lineManagers)];
  };

  const now = new Date();
  const lookupIndexes = new Set(shuffle(Array.from({ length: n }, (_, i) => i), seededRandom(7)).slice(0, Math.min(n, 5000)));
  const lookups: Seeded["lookups"] = [];
  const tenthDone = Math.ceil(n / 10 / BATCH) * BATCH;
  for (let start = 0; start < n; start += BATCH) {
    const docs: UserDoc[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const manager = managerOf(i);
      const doc = userDoc(tenant, userIds[i], i, manager, now);
      const externalId = doc.externalId!;
      const userName = doc.userName;
      docs.push(doc);
      if (lookupIndexes.has(i)) lookups.push({ id: doc._id, userName: doc.userName, externalId, email: userName });
    }
    await UserModel.collection.insertMany(docs as never[], { ordered: false });
    if (start + BATCH === tenthDone && plan.onTenth) await plan.onTenth({ tenant, userIds: userIds.slice(0, tenthDone), lookups: [...lookups] });
    if ((start / BATCH) % 20 === 19) plan.log(`  users: ${Math.min(n, start + BATCH).toLocaleString("en-US")} / ${n.toLocaleString("en-US")}`);
  }

  const groups: GroupDoc[] = groupIds.map((id, index) => {
    const displayName = index === groupCount ? "Everyone (half)" : index === groupCount + 1 ? "Tiny team" : `Team ${String(index + 1).padStart(4, "0")}`;
    const doc: GroupDoc = { _id: id, tenant, version: 1, created: now, lastModified: now, displayName, displayNameKey: displayName.toLowerCase(), externalId: randomUUID() };
    if (index < groupCount) doc.roster = { manager: { value: userIds[staffStart + (index % lineManagers)] } };
    return doc;
  });
  await GroupModel.collection.insertMany(groups as never[], { ordered: false });

  // one ordinary group per user, every other user in the big group, 10 users in the small one
  const smallMembers = new Set(shuffle(Array.from({ length: n - staffStart }, (_, k) => staffStart + k), seededRandom(11)).slice(0, 10));
  let memberships = 0;
  let batch: MembershipDoc[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await MembershipModel.collection.insertMany(batch as never[], { ordered: false });
    memberships += batch.length;
    batch = [];
  };
  // each membership carries its group's name, as the server's own writes store it
  const groupNames = new Map(groups.map((group) => [group._id, group.displayName]));
  const member = async (groupId: string, userId: string) => {
    batch.push({ _id: `${groupId}:${userId}`, tenant, groupId, userId, created: now, display: groupNames.get(groupId) });
    if (batch.length >= BATCH) await flush();
  };
  let bigGroupSize = 0;
  for (let i = 0; i < n; i++) {
    await member(groupIds[i % groupCount], userIds[i]);
    if (i % 2 === 0) {
      await member(bigGroupId, userIds[i]);
      bigGroupSize++;
    }
    if (smallMembers.has(i)) await member(smallGroupId, userIds[i]);
  }
  await flush();

  // plain deactivations: staff who manage nobody (index past the line managers), odd so not in the big group
  const staff = shuffle(Array.from({ length: n - lineManagerEnd }, (_, k) => lineManagerEnd + k), seededRandom(13));
  const plainDeactivateIds = staff.filter((i) => i % 2 === 1 && !smallMembers.has(i)).slice(0, plan.plainDeactivations).map((i) => userIds[i]);
  const taken = new Set(plainDeactivateIds);
  const bigGroupAddCandidates = staff.filter((i) => i % 2 === 1 && !taken.has(userIds[i])).slice(0, 20_000).map((i) => userIds[i]);
  const smallGroupAddCandidates = staff.filter((i) => !smallMembers.has(i) && !taken.has(userIds[i])).slice(-20_000).map((i) => userIds[i]);

  return {
    tenant,
    token,
    users: n,
    groups: groups.length,
    memberships,
    userIds,
    lookups: shuffle(lookups, seededRandom(17)),
    bigGroupId,
    bigGroupSize,
    smallGroupId,
    smallGroupSize: smallMembers.size,
    bigGroupAddCandidates,
    smallGroupAddCandidates,
    leaderIds: userIds.slice(leaderStart, reportStart),
    plainDeactivateIds,
    seedSeconds: (Date.now() - started) / 1000,
  };
}
