import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where the peers are installed: a cache outside the repository, never vendored, never in package.json. */
export const PEERS_CACHE = process.env.ROSTER_PEERS_CACHE ?? path.join(os.homedir(), ".cache", "roster", "peers");

export type PeerName = "scim2-server" | "scimmy-routers";
export const PEER_NAMES: readonly PeerName[] = ["scim2-server", "scimmy-routers"];

/** How to run one installed peer: its command, where its SCIM endpoints live, what it is. */
export interface InstalledPeer {
  name: PeerName;
  /** e.g. "scim2-server 0.8.3 (Python 3.11.7, wsgiref threaded server, in-memory storage)" */
  version: string;
  /** seconds this run spent installing it (0: it was in the cache) */
  installSeconds: number;
  /** the SCIM base path, prepended to /Users */
  basePath: string;
  command(port: number, token: string): { file: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv };
}

const INSTALL_TIMEOUT_MS = 5 * 60_000;

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, timeout: INSTALL_TIMEOUT_MS, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function timed(install: () => void): number {
  const started = Date.now();
  install();
  return (Date.now() - started) / 1000;
}

/** The Python `scim2-server` from PyPI, in a venv of its own, serving from memory. */
function installScim2Server(): InstalledPeer {
  const dir = path.join(PEERS_CACHE, "scim2-server-venv");
  const bin = path.join(dir, "bin");
  const installSeconds = fs.existsSync(path.join(bin, "scim2-server"))
    ? 0
    : timed(() => {
        fs.mkdirSync(PEERS_CACHE, { recursive: true });
        run("python3", ["-m", "venv", dir], PEERS_CACHE);
        run(path.join(bin, "pip"), ["install", "--quiet", "--disable-pip-version-check", "scim2-server"], PEERS_CACHE);
      });
  const python = path.join(bin, "python");
  const version = run(python, ["-c", "import importlib.metadata as m, platform; print(m.version('scim2-server'), platform.python_version())"], dir).trim().split(" ");
  return {
    name: "scim2-server",
    version: `scim2-server ${version[0]} (PyPI; Python ${version[1]}, its CLI's threaded wsgiref server, in-memory storage)`,
    installSeconds,
    basePath: "",
    command: (port, token) => ({ file: path.join(bin, "scim2-server"), args: ["--bearer-token", token, "--port", String(port)], cwd: dir, env: {} }),
  };
}

/** scimmy + scimmy-routers + express from npm in a directory of their own, run by bench/peers/scimmy-routers-server.mjs. */
function installScimmyRouters(): InstalledPeer {
  const dir = path.join(PEERS_CACHE, "scimmy-routers");
  const packages = ["scimmy", "scimmy-routers", "express"];
  const installed = () => packages.every((name) => fs.existsSync(path.join(dir, "node_modules", name, "package.json")));
  const installSeconds = installed()
    ? 0
    : timed(() => {
        fs.mkdirSync(dir, { recursive: true });
        if (!fs.existsSync(path.join(dir, "package.json"))) fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "roster-bench-peer-scimmy-routers", private: true }, null, 2)}\n`);
        run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packages], dir);
      });
  // the server script is ours; it runs from the peer's directory so its imports resolve to the peer's install
  const script = path.join(dir, "server.mjs");
  fs.copyFileSync(path.resolve(__dirname, "..", "..", "..", "bench", "peers", "scimmy-routers-server.mjs"), script);
  const versionOf = (name: string) => (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  return {
    name: "scimmy-routers",
    version: `scimmy-routers ${versionOf("scimmy-routers")} + scimmy ${versionOf("scimmy")} + express ${versionOf("express")} (npm; Node ${process.version}, in-memory handler, bench/peers/scimmy-routers-server.mjs)`,
    installSeconds,
    basePath: "/scim/v2",
    command: (port, token) => ({ file: process.execPath, args: [script], cwd: dir, env: { PORT: String(port), PEER_TOKEN: token } }),
  };
}

/** Installs (or finds in the cache) one peer; a peer that cannot be installed is skipped with the reason. */
export function installPeer(name: PeerName): InstalledPeer | { name: PeerName; skipped: string } {
  try {
    return name === "scim2-server" ? installScim2Server() : installScimmyRouters();
  } catch (error) {
    const detail = error as { message?: string; stderr?: string };
    return { name, skipped: `could not be installed: ${(detail.stderr || detail.message || String(error)).trim().split("\n").slice(-3).join(" ")}` };
  }
}
