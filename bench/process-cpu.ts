import fs from "node:fs";

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** The local process serving a MongoDB URI's port (FerretDB, mongod, mongo-java-server), if it runs here. */
export function findDatabasePid(uri: string): number | undefined {
  const match = /^mongodb:\/\/(?:[^@/]*@)?(?:127\.0\.0\.1|localhost):(\d+)/.exec(uri);
  if (!match) return undefined;
  const port = match[1];
  const portPattern = new RegExp(`(^|[=:\\s])${port}($|\\s)`);
  let found: number | undefined;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (!/ferretdb|mongod|mongo-java-server/i.test(cmdline) || !portPattern.test(cmdline)) continue;
    // the deepest match is the server itself rather than a wrapper that launched it
    if (found === undefined || Number(entry) > found) found = Number(entry);
  }
  return found;
}

/** Busy and total CPU seconds of the whole machine, all cores, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + (steal || 0);
    return { busy: busy / CLOCK_TICKS, total: (busy + idle + iowait) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}
