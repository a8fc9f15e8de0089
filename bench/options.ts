import { PEER_NAMES, type PeerName } from "./peers/peer-install";

/** Command-line options of `npm run bench -- …`. */
export interface BenchOptions {
  /** users in the seeded tenant (the figure is 100,000) */
  users: number;
  /** concurrent connections of the load generator, and concurrent operations of the floor */
  connections: number;
  /** seconds each duration-bound scenario runs */
  durationSeconds: number;
  /** seconds before the load generator gives up on one request */
  timeoutSeconds: number;
  /** where the report goes */
  out: string;
  /** forces one kind of the database chain (ROSTER_DB); default: the chain, MONGODB_URI first */
  db?: string;
  /** leaders with 20 reports each: one per leader-deactivate request */
  leaders: number;
  /** users deactivated one per request in the plain deactivate scenario */
  plainDeactivations: number;
  /** after the scenarios, grow the tenant to this many users and time the database alone again (0: off) */
  scaleTo: number;
  /** re-render the report from a saved run (bench/last-run.json) instead of running */
  render?: string;
  /** peers run side by side with Roster on the same users (`--peers`: all of them; `--peers=a,b`: those) */
  peers: PeerName[];
}

const USAGE = `usage: npm run bench -- [--users N] [--connections C] [--duration S] [--timeout S] [--leaders L] [--deactivations D] [--db KIND] [--scale-to N] [--out FILE] [--render RUN.json] [--peers[=${PEER_NAMES.join(",")}]]

  --peers   after Roster's scenarios, install (into ~/.cache/roster/peers, once) and run ${PEER_NAMES.join(" and ")}
            on the same users, through the same lookups and first list page at the same connections,
            and report Roster's throughput over each peer's; with more than 5,000 users, the same comparison
            first runs at 5,000 users too (a tenant of its own, deleted after), as issue #9 asks for both sizes`;

export function parseOptions(argv: string[]): BenchOptions {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    // --peers alone is a flag: it takes no value from the next argument
    const value = match[1] === "peers" && match[2] === undefined ? PEER_NAMES.join(",") : match[2] ?? argv[++index];
    if (value === undefined) throw new Error(`--${match[1]} needs a value\n${USAGE}`);
    values.set(match[1], value);
  }
  const known = new Set(["users", "connections", "duration", "timeout", "out", "db", "leaders", "deactivations", "scale-to", "render", "peers"]);
  for (const key of values.keys()) if (!known.has(key)) throw new Error(`unknown option --${key}\n${USAGE}`);

  const int = (key: string, fallback: number, min: number): number => {
    const text = values.get(key);
    if (text === undefined) return fallback;
    const value = Number(text.replace(/[_,]/g, ""));
    if (!Number.isInteger(value) || value < min) throw new Error(`--${key} must be an integer ≥ ${min}, got "${text}"`);
    return value;
  };
  const users = int("users", 100_000, 1000);
  const connections = int("connections", 10, 1);
  return {
    users,
    connections,
    scaleTo: int("scale-to", users < 100_000 ? 100_000 : 0, 0),
    durationSeconds: int("duration", users >= 50_000 ? 10 : 5, 1),
    timeoutSeconds: int("timeout", 60, 1),
    out: values.get("out") ?? "BENCHMARKS.md",
    db: values.get("db"),
    render: values.get("render"),
    peers: parsePeers(values.get("peers")),
    // enough for one fresh leader per request at the expected rate, capped so seeding stays small
    // (leaders and their reports stay under half of the users)
    leaders: Math.min(int("leaders", connections, 1), Math.floor(users / 42)),
    plainDeactivations: Math.min(int("deactivations", connections * 2, 1), Math.floor(users / 10)),
  };
}

function parsePeers(text: string | undefined): PeerName[] {
  if (text === undefined) return [];
  const names = text.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (!(PEER_NAMES as readonly string[]).includes(name)) throw new Error(`--peers: unknown peer "${name}" (known: ${PEER_NAMES.join(", ")})`);
  return names as PeerName[];
}
