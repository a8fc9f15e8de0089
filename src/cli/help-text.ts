/** `roster --help` (SPEC §2, §6). Kept next to the command table it describes; a test checks every command appears. */
export const HELP_TEXT = `roster — administer a Roster server: tenants, organizations, administrators, SCIM tokens, OAuth clients, policy, owner, seats, audit, users, event subscriptions

Usage: roster <command> [arguments] [options]

How it works
  The CLI is a client of the admin API (/admin/v1) of a RUNNING Roster server;
  it never opens the database itself. That way it behaves the same whether the
  server uses the embedded database of \`npm start\` (which only one process may
  open), a MongoDB replica set, or several Roster processes behind a load
  balancer, and every change is validated, audited and logged by the server.
  Start the server first (\`npm start\`) with ROSTER_ADMIN_TOKEN set.

  Server   --url URL, else $ROSTER_URL, else http://localhost:$PORT (PORT defaults to 8080)
  Token    $ROSTER_ADMIN_TOKEN: your administrator token (from roster admins create), or
           the bootstrap token the server was started with (kept in a vault once named
           administrators exist). There is no flag for it, so it stays out of shell
           history and process lists. What a command may do depends on the token's role.
  Console  the same operations in a browser: open <server>/console/ and sign in with the token.

Tenants
  roster tenants create <id> [--name NAME]    create a tenant; id is 1-64 of a-z 0-9 -, name defaults to id
  roster tenants list                         list tenants
  roster tenants delete <id>                  delete a tenant and ALL its data, its audit log included
  roster tenants organization <tenant>        print {organizationId}; null when the tenant has none
  roster tenants set-organization <tenant> <organizationId>
                                              attach the tenant to an organization: its people share
                                              the organization's seats, each person counted once
  roster tenants clear-organization <tenant>  detach it; seats no other tenant of it holds are freed

Organizations (tenants sharing one pool of seats; a person is the same userName, case-insensitively)
  roster organizations create <id> [--name NAME] [--seat-limit N|none]
                                              create one; id is 1-64 of a-z 0-9 -, no limit by default
  roster organizations list                   list them with seatLimit, used and tenants
  roster organizations show <id>              one organization
  roster organizations set <id> [--name NAME] [--seat-limit N|none]
                                              replace name and seatLimit (omitted: the id, unlimited);
                                              a lower limit refuses creates, removes no one
  roster organizations delete <id>            delete one no tenant is attached to

Administrators (manage them with an owner token of every tenant: the bootstrap token or tenants '*')
  roster admins create <name> --role R --tenants T [--email E]
                                              create a named administrator; R is viewer (reads),
                                              manager (also offboards, issues and revokes SCIM tokens,
                                              OAuth clients, sessions and API keys) or owner (also
                                              policy, owner, erase, event subscriptions); T is a comma
                                              list of tenant ids, or '*' for every tenant. Its token is
                                              printed once, here only, and stored as a hash
  roster admins list                          list administrators: id, name, email, role, tenants (no tokens)
  roster admins me                            who ROSTER_ADMIN_TOKEN is: {id, name, role, tenants}
  roster admins update <adminId> [--name N] [--email E] [--role R] [--tenants T]
                                              change an administrator; its next request sees the change
  roster admins revoke <adminId>              delete an administrator; its token stops working at once

SCIM tokens
  roster tokens issue <tenant> [--label L]    issue a SCIM bearer token; it is printed once, here only,
                                              and stored as a hash
  roster tokens list <tenant>                 list tokens: id, label, createdAt, lastUsedAt (to the minute)
  roster tokens revoke <tenant> <tokenId>     revoke a token; it stops working at once

OAuth clients (OAuth 2.0 client credentials at POST /oauth/token, for Entra's gallery; Okta uses a SCIM token)
  roster oauth-clients create <tenant> [--label L]
                                              create a client; its clientId and clientSecret are printed
                                              once, here only, and the secret is stored as a hash
  roster oauth-clients list <tenant>          list clients: clientId, label, createdAt (never a secret)
  roster oauth-clients delete <tenant> <clientId>
                                              delete a client; its access tokens stop working at once

Policy
  roster policy get <tenant>                  print the policy, defaults filled in
  roster policy set <tenant> --file FILE      replace the whole policy with the JSON in FILE ("-": stdin);
                                              omitted fields take their defaults. FILE is checked against
                                              schemas/policy.schema.json before it is sent. Fields:
                                                requiredProfileFields  SCIM paths, default []
                                                reassignReportsTo      manager-then-owner | owner | block
                                                groupMembershipsOnDeactivate  keep | remove
                                                revokeApiKeys          true | false, default true
                                                seatLimit              integer >= 0, or null (unlimited)
                                                unknownAttributes      ignore | reject, default ignore

Owner
  roster owner get <tenant>                   print {userId}; null when the tenant has no owner
  roster owner set <tenant> <userId>          make an existing, active user the account owner
  roster owner clear <tenant>                 leave the tenant without an owner

Seats
  roster seats <tenant>                       print {limit, used, organization}; deactivated users use a seat,
                                              removed do not; organization is {id, limit, used} or null

Audit
  roster audit <tenant> [--target ID] [--action A] [--actor A] [--since T] [--until T] [--count N] [--cursor C]
                                              newest first; --actor is admin:<adminId>, admin:root or a
                                              token or OAuth client id; T is ISO 8601 with offset or a date, inclusive;
                                              N defaults to 100, at most 1000; pass the printed nextCursor
                                              as --cursor for the next page

Users (a user id is the SCIM id)
  roster users access <tenant> <userId>       the login check: {allowed, reason?}
  roster users credentials <tenant> <userId>  the user's sessions and API keys, revoked ones included
  roster users add-session <tenant> <userId> [--label L]
  roster users add-api-key <tenant> <userId> [--label L]
                                              the key is printed once and stored as a hash
  roster users erase <tenant> <userId>        wipe the personal data of a deactivated or removed user
                                              and redact it in the audit log (irreversible)

Offboarding (a leader's reports and groups led go to a successor; see the README's worked example)
  roster users plan <tenant> <userId> [--action deactivate|remove] [CHOICES]
                                              what the offboarding would do now, changing nothing:
                                              refusals, successor, each report and group with its new
                                              lead, memberships kept or dropped, sessions and API keys
                                              revoked, seat freed or not. --action defaults to deactivate
  roster users deactivate <tenant> <userId> [CHOICES] [--reason TEXT]
  roster users remove <tenant> <userId> [CHOICES] [--reason TEXT]
                                              offboard with the same guards as SCIM; works under policy
                                              block once every report and group has a lead. The reason
                                              and the choices go into the audit entries
  roster users reactivate <tenant> <userId> [--reason TEXT]
  CHOICES (what they do not name follows the policy reassignReportsTo):
    --successor ID                            one new lead for every report and group led
    --reports R1=L1,R2=L2                     a new manager per report
    --groups G1=L1                            a new leader per group led
    --api-keys revoke|keep                    overrides the policy revokeApiKeys
    --file FILE                               the choices as JSON ("-": stdin), as POST …/deactivate takes
                                              them; the options above win over it

Event subscriptions (lifecycle events as signed SETs, RFC 9967; README "Lifecycle events")
  roster event-subscriptions create <tenant> --receiver URL [--events URI,URI] [--secret-file FILE]
                                              push each SET to URL (RFC 8935); FILE ("-": stdin) holds a
                                              secret sent as Authorization: Bearer; --events limits the
                                              event URIs sent (default: all)
  roster event-subscriptions create <tenant> --delivery poll [--events URI,URI]
                                              the receiver polls (RFC 8936) with the pollToken printed
                                              once, here only, at the printed pollPath
  roster event-subscriptions list <tenant>    subscriptions with counts of SETs pending, failed, dead
  roster event-subscriptions delete <tenant> <subscriptionId>
  roster event-subscriptions deliveries <tenant> <subscriptionId> [--status pending|failed|dead|delivered]
                                              SETs owed (default: not delivered), newest first
  roster event-subscriptions retry <tenant> <subscriptionId> <jti>
                                              owe a dead letter again, from its first attempt

Watching the server (its own endpoints, for probes and Prometheus; no roster command)
  GET /healthz                                liveness: 200 while the database answers
  GET /readyz                                 readiness: 503 while it drains after SIGTERM, or the database
                                              does not answer
  GET /metrics                                Prometheus text: requests by route, rate-limit rejections,
                                              transitions, cascades, database commands, the process;
                                              bearer $ROSTER_METRICS_TOKEN (may scrape, nothing else) or
                                              the admin token
  SIGTERM                                     drain: stop accepting, finish requests and cascades within
                                              ROSTER_SHUTDOWN_TIMEOUT_MS (default 25000), exit 0; exit 1
                                              when the timeout cut something short

Options
  --url URL      the server to talk to
  -h, --help     this text; \`roster <group> --help\` shows one group

Output is JSON on stdout. Exit status: 0 done; 1 refused (the server's status, detail and
each schema error on stderr); 2 usage or configuration error; 3 server unreachable.
`;

/** The part of the help about one command group, or the whole text when the group is unknown. */
export function helpFor(group: string | undefined): string {
  if (!group) return HELP_TEXT;
  const headings: Record<string, string[]> = {
    tenants: ["Tenants"],
    organizations: ["Organizations"],
    admins: ["Administrators"],
    tokens: ["SCIM tokens"],
    "oauth-clients": ["OAuth clients"],
    policy: ["Policy"],
    owner: ["Owner"],
    seats: ["Seats"],
    audit: ["Audit"],
    users: ["Users", "Offboarding"],
    offboarding: ["Offboarding"],
    "event-subscriptions": ["Event subscriptions"],
  };
  const wanted = headings[group];
  if (!wanted) return HELP_TEXT;
  const sections = HELP_TEXT.split("\n\n");
  const chosen = sections.filter((part) => wanted.some((heading) => part.startsWith(heading)));
  const usage = [...sections.slice(0, 2), ...sections.filter((part) => part.startsWith("  Server"))].join("\n\n");
  return chosen.length ? `${usage}\n\n${chosen.join("\n\n")}\n\nSee roster --help for options and exit statuses.\n` : HELP_TEXT;
}
