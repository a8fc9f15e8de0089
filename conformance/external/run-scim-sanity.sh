#!/usr/bin/env bash
# Runs the external SCIM probe scim-sanity (`scim-sanity probe URL --token T
# --i-accept-side-effects`) against Roster and prints the pass/fail counts.
#
#   bash conformance/external/run-scim-sanity.sh                      # starts a Roster of its own
#   bash conformance/external/run-scim-sanity.sh --base URL --token T # any running server
#
# ROSTER_BASE_URL / ROSTER_TOKEN may stand for --base / --token. Without a base
# URL the script builds Roster and starts it with a throwaway data directory
# (see local-roster.sh). The probe creates, changes and deletes users and
# groups. SCIM_SANITY_ARGS adds options of `scim-sanity probe` (e.g.
# "--compat"). The full output goes to conformance/external/scim-sanity.log;
# the probe is installed into ~/.cache/roster/venvs on first use.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=local-roster.sh
source "$here/local-roster.sh"
log="$here/scim-sanity.log"
server_log="$here/roster-server.log"

base="${ROSTER_BASE_URL:-}"
token="${ROSTER_TOKEN:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$base" && -z "$token" ]]; then
  echo "--token (or ROSTER_TOKEN) is required with --base" >&2
  exit 2
fi

ensure_venv scim-sanity "$here/requirements-scim-sanity.txt"
echo "scim-sanity: $("$venv/bin/pip" show scim-sanity 2>/dev/null | sed -n 's/^Version: //p')"

trap stop_local_roster EXIT
if [[ -z "$base" ]]; then start_local_roster "$server_log"; fi

# the token reaches the probe through the environment: its command line (visible in ps) stays clean
echo "scim-sanity: probing $base"
set +e
# shellcheck disable=SC2086
SCIM_SANITY_TOKEN="$token" NO_COLOR=1 "$venv/bin/python" - "$base" ${SCIM_SANITY_ARGS:-} >"$log" 2>&1 <<'PY'
import os, sys
from scim_sanity.cli import main
sys.argv = ["scim-sanity", "probe", sys.argv[1], "--token", os.environ["SCIM_SANITY_TOKEN"], "--i-accept-side-effects", *sys.argv[2:]]
main()
PY
status=$?
set -e
# each failed check with the first line of its reason, then the summary line
sed -E 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /\[(FAIL|ERROR)\]/ { print; want = 1; next }
  /\[[A-Z]+\]/ { want = 0; next }
  want && /^ +[^ ]/ { print; want = 0 }
  / passed, [0-9]+ failed/ { sub(/^ +/, ""); print "scim-sanity: " $0 }
'
echo "scim-sanity: exit $status (full output in $log)"
[[ "$status" -eq 0 ]]
