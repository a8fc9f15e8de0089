# Sourced by the external runners: a Roster of their own, and a virtualenv per tool.
#
#   ensure_venv NAME REQUIREMENTS_FILE   # sets $venv: ~/.cache/roster/venvs/NAME-<hash of the file>
#   start_local_roster LOG               # sets $base and $token; stopped by stop_local_roster (trap it)
#
# The virtualenvs live outside the repository (ROSTER_CACHE_DIR, default ~/.cache/roster), keyed
# by the pinned requirements, so a version bump gets a fresh one. The local server is built from
# this checkout, started on a free port with a throwaway data directory, a random
# ROSTER_BOOTSTRAP_TOKEN (and ROSTER_ADMIN_TOKEN = $admin_token) and rate limiting off.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="${ROSTER_CACHE_DIR:-$HOME/.cache/roster}"

ensure_venv() {
  local name="$1" requirements="$2" key
  key="$(sha256sum "$requirements" | cut -c1-12)"
  venv="$cache_dir/venvs/$name-$key"
  if [[ ! -f "$venv/.installed" ]]; then
    echo "$name: creating $venv"
    rm -rf "$venv"
    mkdir -p "$cache_dir/venvs"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -r "$requirements"
    touch "$venv/.installed"
  fi
}

server_pid=""
data_dir=""
stop_local_roster() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$data_dir" ]]; then rm -rf "$data_dir"; fi
}

start_local_roster() {
  local server_log="$1" port healthy=""
  (cd "$root" && npm run --silent build)
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  token="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  admin_token="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  data_dir="$(mktemp -d)"
  echo "roster: starting on port $port (log: $server_log)"
  (cd "$root" && PORT="$port" ROSTER_BOOTSTRAP_TOKEN="$token" ROSTER_ADMIN_TOKEN="$admin_token" ROSTER_DATA_DIR="$data_dir" ROSTER_RATE_LIMIT=0 LOG_LEVEL="${LOG_LEVEL:-warn}" \
    exec node dist/src/main.js) >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then healthy=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 1
  done
  if [[ -z "$healthy" ]]; then
    echo "roster: the server did not become healthy; its log:" >&2
    tail -n 30 "$server_log" >&2
    return 1
  fi
  origin="http://127.0.0.1:$port"
  base="$origin/scim/v2"
}
