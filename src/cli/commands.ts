import fs from "node:fs";
import { validatePayload } from "../services/validate-payload";

/** A parsed command line: the command's positional arguments and options. */
export interface Invocation {
  args: string[];
  options: Record<string, string | undefined>;
  /** reads FILE, or stdin for "-" */
  readInput(file: string): Promise<string>;
}

/** An admin API request a command turns into, plus how to present its answer. */
export interface AdminRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
  /** what to print on success when the server answers 204 */
  done?: string;
  /** printed on stderr after a secret, which is shown only once */
  secretNote?: string;
}

/** Raised for mistakes on the command line or in an input file (exit status 2). */
export class UsageError extends Error {}

export interface Command {
  /** the words naming it, e.g. ["tokens", "issue"] */
  words: string[];
  /** names of the positional arguments, in order */
  args: string[];
  /** names of the options it accepts (besides --url and --help) */
  options: string[];
  build(invocation: Invocation): AdminRequest | Promise<AdminRequest>;
}

const enc = encodeURIComponent;

/** `--tenants a,b` or `--tenants '*'` as the list the admin API takes. */
function tenantList(text: string): string[] {
  return text.split(",").map((tenant) => tenant.trim()).filter(Boolean);
}

/** The administrator fields given on the command line, as a PUT or POST /administrators body. */
function administratorFields(options: Record<string, string | undefined>): Record<string, unknown> {
  return {
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.email === undefined ? {} : { email: options.email }),
    ...(options.role === undefined ? {} : { role: options.role }),
    ...(options.tenants === undefined ? {} : { tenants: tenantList(options.tenants) }),
  };
}
const SECRET_NOTE = "Store this secret now: Roster keeps only its hash and will not show it again.";
const POLL_TOKEN_NOTE = "Give the pollToken to the receiver now: Roster keeps only its hash and will not show it again.";

const CHOICE_OPTIONS = ["successor", "reports", "groups", "api-keys", "file"];

/** `--reports R1=L1,R2=L2` as `{R1: L1, R2: L2}` (own properties, whatever the ids). */
function pairs(option: string, text: string): Record<string, string> {
  return Object.fromEntries(
    text.split(",").map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0 || at === pair.length - 1) throw new UsageError(`--${option} takes ID=LEAD pairs separated by commas, not ${JSON.stringify(pair)}`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
}

/**
 * The body of POST …/deactivate, …/remove and …/offboarding-plan from --file (JSON) and the
 * choice options, which win over the file; checked against schemas/admin-offboarding.schema.json.
 */
async function offboardingBody({ options, readInput }: Invocation): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  if (options.file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readInput(options.file));
    } catch (error) {
      throw new UsageError(`cannot read the choices in ${options.file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`${options.file} must hold a JSON object`);
    body = parsed as Record<string, unknown>;
  }
  if (options.successor !== undefined) body.successor = options.successor;
  if (options.reports !== undefined || options.groups !== undefined) {
    const reassign = { ...((body.reassign as Record<string, unknown> | undefined) ?? {}) };
    if (options.reports !== undefined) reassign.reports = pairs("reports", options.reports);
    if (options.groups !== undefined) reassign.groups = pairs("groups", options.groups);
    body.reassign = reassign;
  }
  const apiKeys = options["api-keys"];
  if (apiKeys !== undefined) {
    if (apiKeys !== "revoke" && apiKeys !== "keep") throw new UsageError("--api-keys takes revoke or keep");
    body.revokeApiKeys = apiKeys === "revoke";
  }
  if (options.reason !== undefined) body.reason = options.reason;
  validatePayload("offboarding", body);
  return body;
}

function offboardingCommand(action: "deactivate" | "remove"): Command {
  return {
    words: ["users", action],
    args: ["tenant", "userId"],
    options: [...CHOICE_OPTIONS, "reason"],
    build: async (invocation) => {
      const [tenant, id] = invocation.args;
      return { method: "POST", path: `/tenants/${enc(tenant)}/users/${enc(id)}/${action}`, body: await offboardingBody(invocation), ...(action === "remove" ? { done: `Removed user ${id}.` } : {}) };
    },
  };
}

/** Every CLI operation, one admin API call each (SPEC §2 CLI, §6). */
export const COMMANDS: Command[] = [
  {
    words: ["tenants", "create"],
    args: ["id"],
    options: ["name"],
    build: ({ args: [id], options }) => ({ method: "POST", path: "/tenants", body: { id, ...(options.name === undefined ? {} : { name: options.name }) } }),
  },
  { words: ["tenants", "list"], args: [], options: [], build: () => ({ method: "GET", path: "/tenants" }) },
  {
    words: ["admins", "create"],
    args: ["name"],
    options: ["role", "tenants", "email"],
    build: ({ args: [name], options }) => {
      if (options.role === undefined || options.tenants === undefined) throw new UsageError("admins create needs --role viewer|manager|owner and --tenants ID,ID… (or --tenants '*')");
      return { method: "POST", path: "/administrators", body: { ...administratorFields(options), name }, secretNote: SECRET_NOTE };
    },
  },
  { words: ["admins", "list"], args: [], options: [], build: () => ({ method: "GET", path: "/administrators" }) },
  { words: ["admins", "me"], args: [], options: [], build: () => ({ method: "GET", path: "/me" }) },
  {
    words: ["admins", "update"],
    args: ["adminId"],
    options: ["name", "email", "role", "tenants"],
    build: ({ args: [id], options }) => {
      const body = administratorFields(options);
      if (!Object.keys(body).length) throw new UsageError("admins update needs at least one of --name, --email, --role, --tenants");
      return { method: "PUT", path: `/administrators/${enc(id)}`, body };
    },
  },
  {
    words: ["admins", "revoke"],
    args: ["adminId"],
    options: [],
    build: ({ args: [id] }) => ({ method: "DELETE", path: `/administrators/${enc(id)}`, done: `Revoked administrator ${id}; its token no longer works.` }),
  },
  {
    words: ["tenants", "delete"],
    args: ["id"],
    options: [],
    build: ({ args: [id] }) => ({ method: "DELETE", path: `/tenants/${enc(id)}`, done: `Deleted tenant ${id} and all its data.` }),
  },
  {
    words: ["tenants", "organization"],
    args: ["tenant"],
    options: [],
    build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/organization` }),
  },
  {
    words: ["tenants", "set-organization"],
    args: ["tenant", "organizationId"],
    options: [],
    build: ({ args: [tenant, organizationId] }) => ({ method: "PUT", path: `/tenants/${enc(tenant)}/organization`, body: { organizationId } }),
  },
  {
    words: ["tenants", "clear-organization"],
    args: ["tenant"],
    options: [],
    build: ({ args: [tenant] }) => ({ method: "PUT", path: `/tenants/${enc(tenant)}/organization`, body: { organizationId: null } }),
  },
  {
    words: ["organizations", "create"],
    args: ["id"],
    options: ["name", "seat-limit"],
    build: ({ args: [id], options }) => ({ method: "POST", path: "/organizations", body: { id, ...organizationSettings(options) } }),
  },
  { words: ["organizations", "list"], args: [], options: [], build: () => ({ method: "GET", path: "/organizations" }) },
  { words: ["organizations", "show"], args: ["id"], options: [], build: ({ args: [id] }) => ({ method: "GET", path: `/organizations/${enc(id)}` }) },
  {
    words: ["organizations", "set"],
    args: ["id"],
    options: ["name", "seat-limit"],
    build: ({ args: [id], options }) => ({ method: "PUT", path: `/organizations/${enc(id)}`, body: organizationSettings(options) }),
  },
  {
    words: ["organizations", "delete"],
    args: ["id"],
    options: [],
    build: ({ args: [id] }) => ({ method: "DELETE", path: `/organizations/${enc(id)}`, done: `Deleted organization ${id}.` }),
  },
  {
    words: ["tokens", "issue"],
    args: ["tenant"],
    options: ["label"],
    build: ({ args: [tenant], options }) => ({
      method: "POST",
      path: `/tenants/${enc(tenant)}/tokens`,
      body: options.label === undefined ? {} : { label: options.label },
      secretNote: SECRET_NOTE,
    }),
  },
  { words: ["tokens", "list"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/tokens` }) },
  {
    words: ["tokens", "revoke"],
    args: ["tenant", "tokenId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "DELETE", path: `/tenants/${enc(tenant)}/tokens/${enc(id)}`, done: `Revoked token ${id}.` }),
  },
  {
    words: ["oauth-clients", "create"],
    args: ["tenant"],
    options: ["label"],
    build: ({ args: [tenant], options }) => ({
      method: "POST",
      path: `/tenants/${enc(tenant)}/oauth-clients`,
      body: options.label === undefined ? {} : { label: options.label },
      secretNote: SECRET_NOTE,
    }),
  },
  { words: ["oauth-clients", "list"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/oauth-clients` }) },
  {
    words: ["oauth-clients", "delete"],
    args: ["tenant", "clientId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "DELETE", path: `/tenants/${enc(tenant)}/oauth-clients/${enc(id)}`, done: `Deleted OAuth client ${id}; its access tokens no longer work.` }),
  },
  { words: ["policy", "get"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/policy` }) },
  {
    words: ["policy", "set"],
    args: ["tenant"],
    options: ["file"],
    build: async ({ args: [tenant], options, readInput }) => {
      if (options.file === undefined) throw new UsageError("policy set needs --file FILE (a JSON policy; - reads stdin)");
      let text: string;
      try {
        text = await readInput(options.file);
      } catch (error) {
        throw new UsageError(`cannot read ${options.file}: ${(error as Error).message}`);
      }
      let policy: unknown;
      try {
        policy = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`${options.file} is not JSON: ${(error as Error).message}`);
      }
      // the schema the server applies (schemas/policy.schema.json): mistakes show before anything is sent
      validatePayload("policy", policy);
      return { method: "PUT", path: `/tenants/${enc(tenant)}/policy`, body: policy };
    },
  },
  { words: ["owner", "get"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/owner` }) },
  {
    words: ["owner", "set"],
    args: ["tenant", "userId"],
    options: [],
    build: ({ args: [tenant, userId] }) => ({ method: "PUT", path: `/tenants/${enc(tenant)}/owner`, body: { userId } }),
  },
  { words: ["owner", "clear"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "PUT", path: `/tenants/${enc(tenant)}/owner`, body: { userId: null } }) },
  { words: ["seats"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/seats` }) },
  {
    words: ["audit"],
    args: ["tenant"],
    options: ["target", "action", "actor", "since", "until", "count", "cursor"],
    build: ({ args: [tenant], options }) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(options)) if (value !== undefined && name !== "url") query.set(name, value);
      const text = query.toString();
      return { method: "GET", path: `/tenants/${enc(tenant)}/audit${text ? `?${text}` : ""}` };
    },
  },
  {
    words: ["users", "access"],
    args: ["tenant", "userId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/users/${enc(id)}/access` }),
  },
  {
    words: ["users", "credentials"],
    args: ["tenant", "userId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/users/${enc(id)}/credentials` }),
  },
  {
    words: ["users", "add-session"],
    args: ["tenant", "userId"],
    options: ["label"],
    build: ({ args: [tenant, id], options }) => ({ method: "POST", path: `/tenants/${enc(tenant)}/users/${enc(id)}/sessions`, body: options.label === undefined ? {} : { label: options.label } }),
  },
  {
    words: ["users", "add-api-key"],
    args: ["tenant", "userId"],
    options: ["label"],
    build: ({ args: [tenant, id], options }) => ({
      method: "POST",
      path: `/tenants/${enc(tenant)}/users/${enc(id)}/api-keys`,
      body: options.label === undefined ? {} : { label: options.label },
      secretNote: SECRET_NOTE,
    }),
  },
  {
    words: ["users", "plan"],
    args: ["tenant", "userId"],
    options: ["action", ...CHOICE_OPTIONS],
    build: async (invocation) => {
      const [tenant, id] = invocation.args;
      const action = invocation.options.action ?? "deactivate";
      if (action !== "deactivate" && action !== "remove") throw new UsageError("--action takes deactivate or remove");
      const path = `/tenants/${enc(tenant)}/users/${enc(id)}/offboarding-plan?action=${action}`;
      const body = await offboardingBody(invocation);
      return Object.keys(body).length ? { method: "POST", path, body } : { method: "GET", path };
    },
  },
  offboardingCommand("deactivate"),
  offboardingCommand("remove"),
  {
    words: ["users", "reactivate"],
    args: ["tenant", "userId"],
    options: ["reason"],
    build: ({ args: [tenant, id], options }) => {
      const body = options.reason === undefined ? {} : { reason: options.reason };
      validatePayload("reactivate", body);
      return { method: "POST", path: `/tenants/${enc(tenant)}/users/${enc(id)}/reactivate`, body };
    },
  },
  {
    words: ["users", "erase"],
    args: ["tenant", "userId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "POST", path: `/tenants/${enc(tenant)}/users/${enc(id)}/erase` }),
  },
  {
    words: ["event-subscriptions", "create"],
    args: ["tenant"],
    options: ["delivery", "receiver", "events", "secret-file"],
    build: async ({ args: [tenant], options, readInput }) => {
      const body: Record<string, unknown> = { delivery: options.delivery ?? "push" };
      if (options.receiver !== undefined) body.url = options.receiver;
      if (options.events !== undefined) body.events = options.events.split(",").map((uri) => uri.trim()).filter(Boolean);
      if (options["secret-file"] !== undefined) {
        try {
          body.secret = (await readInput(options["secret-file"])).trim();
        } catch (error) {
          throw new UsageError(`cannot read ${options["secret-file"]}: ${(error as Error).message}`);
        }
      }
      // the schema the server applies: mistakes show before anything is sent
      validatePayload("eventSubscription", body);
      return { method: "POST", path: `/tenants/${enc(tenant)}/event-subscriptions`, body, secretNote: body.delivery === "poll" ? POLL_TOKEN_NOTE : undefined };
    },
  },
  { words: ["event-subscriptions", "list"], args: ["tenant"], options: [], build: ({ args: [tenant] }) => ({ method: "GET", path: `/tenants/${enc(tenant)}/event-subscriptions` }) },
  {
    words: ["event-subscriptions", "delete"],
    args: ["tenant", "subscriptionId"],
    options: [],
    build: ({ args: [tenant, id] }) => ({ method: "DELETE", path: `/tenants/${enc(tenant)}/event-subscriptions/${enc(id)}`, done: `Deleted event subscription ${id} and the SETs still owed to it.` }),
  },
  {
    words: ["event-subscriptions", "deliveries"],
    args: ["tenant", "subscriptionId"],
    options: ["status"],
    build: ({ args: [tenant, id], options }) => ({
      method: "GET",
      path: `/tenants/${enc(tenant)}/event-subscriptions/${enc(id)}/deliveries${options.status === undefined ? "" : `?status=${enc(options.status)}`}`,
    }),
  },
  {
    words: ["event-subscriptions", "retry"],
    args: ["tenant", "subscriptionId", "jti"],
    options: [],
    build: ({ args: [tenant, id, jti] }) => ({ method: "POST", path: `/tenants/${enc(tenant)}/event-subscriptions/${enc(id)}/deliveries/${enc(jti)}/retry` }),
  },
];

/** `--name` and `--seat-limit N|none` as an organization's settings; a seat limit that is no whole number is a usage error. */
function organizationSettings(options: Record<string, string | undefined>): { name?: string; seatLimit?: number | null } {
  const settings: { name?: string; seatLimit?: number | null } = {};
  if (options.name !== undefined) settings.name = options.name;
  const limit = options["seat-limit"];
  if (limit !== undefined) {
    if (limit !== "none" && !/^\d{1,15}$/.test(limit)) throw new UsageError(`--seat-limit takes a whole number >= 0, or none for unlimited; not ${JSON.stringify(limit)}`);
    settings.seatLimit = limit === "none" ? null : Number(limit);
  }
  return settings;
}

/** Reads a file, or all of stdin for "-". */
export async function readInput(file: string): Promise<string> {
  if (file !== "-") return fs.promises.readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
