#!/usr/bin/env bash
# Runs the external SCIM compliance checker scim2-tester (through scim2-cli's
# `scim2 test`) against Roster and prints the pass/fail counts.
#
#   bash conformance/external/run-scim2-tester.sh                      # starts a Roster of its own
#   bash conformance/external/run-scim2-tester.sh --base URL --token T # any running server
#   … --skip-extension URN   # hide a schema extension from the checker (repeatable)
#
# ROSTER_BASE_URL / ROSTER_TOKEN may stand for --base / --token. Without a base
# URL the script builds Roster, starts it on a free port with a throwaway data
# directory, a random ROSTER_BOOTSTRAP_TOKEN and rate limiting off, waits for
# /healthz, and stops it at the end. SCIM2_TESTER_ARGS adds global options of
# the scim2 command (e.g. "-c spc.json" to supply a ServiceProviderConfig).
# The full verbose output goes to conformance/external/scim2-tester.log; the
# checker is installed into ~/.cache/roster/venvs on first use.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=local-roster.sh
source "$here/local-roster.sh"
log="$here/scim2-tester.log"
server_log="$here/roster-server.log"

base="${ROSTER_BASE_URL:-}"
token="${ROSTER_TOKEN:-}"
skip_extensions=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --skip-extension) skip_extensions+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$base" && -z "$token" ]]; then
  echo "--token (or ROSTER_TOKEN) is required with --base" >&2
  exit 2
fi

# 1. the checker, in a virtualenv of its own (under ~/.cache/roster/venvs)
ensure_venv scim2-tester "$here/requirements.txt"
echo "scim2-tester: $("$venv/bin/pip" show scim2-tester 2>/dev/null | sed -n 's/^Version: //p'), scim2-cli $("$venv/bin/pip" show scim2-cli 2>/dev/null | sed -n 's/^Version: //p')"

# 2. a Roster of our own when no server was named
described_dir=""
stop_all() {
  if [[ -n "$described_dir" ]]; then rm -rf "$described_dir"; fi
  stop_local_roster
}
trap stop_all EXIT
if [[ -z "$base" ]]; then start_local_roster "$server_log"; fi

# 3. optionally, the server's description without some schema extensions: the
# checker fills every attribute with random values and has no generator for
# dateTime, so an extension with a dateTime attribute (Roster's leaveDate) fails
# its own validation before any request is sent.
described_args=()
if [[ ${#skip_extensions[@]} -gt 0 ]]; then
  described_dir="$(mktemp -d)"
  ROSTER_TOKEN="$token" "$venv/bin/python" - "$base" "$described_dir" "${skip_extensions[@]}" <<'PY'
import json, os, sys, urllib.request
base, out, skipped = sys.argv[1].rstrip("/"), sys.argv[2], set(sys.argv[3:])
def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + os.environ["ROSTER_TOKEN"], "Accept": "application/scim+json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)
resource_types, schemas = get("/ResourceTypes"), get("/Schemas")
for resource_type in resource_types["Resources"]:
    resource_type["schemaExtensions"] = [e for e in resource_type.get("schemaExtensions", []) if e["schema"] not in skipped]
schemas["Resources"] = [s for s in schemas["Resources"] if s["id"] not in skipped]
schemas["totalResults"] = len(schemas["Resources"])
json.dump(resource_types, open(os.path.join(out, "resource-types.json"), "w"))
json.dump(schemas, open(os.path.join(out, "schemas.json"), "w"))
PY
  described_args=(-r "$described_dir/resource-types.json" -s "$described_dir/schemas.json")
  echo "scim2-tester: without the extensions ${skip_extensions[*]}"
fi

# 4. the check; the token goes through the environment, not the command line
echo "scim2-tester: checking $base"
set +e
# shellcheck disable=SC2086
SCIM_CLI_HEADERS="Authorization: Bearer $token" NO_COLOR=1 \
  "$venv/bin/scim2" --url "$base" "${described_args[@]}" ${SCIM2_TESTER_ARGS:-} test --verbose >"$log" 2>&1
checker_status=$?
set -e

# 5. counts: each result is a line "<STATUS> <check title>", its reason and data indented below
results="$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED) ' || true)"
count() { if [[ -z "$results" ]]; then echo 0; else printf '%s\n' "$results" | grep -cE "^($1) " || true; fi; }
passed=$(count 'SUCCESS|COMPLIANT|ACCEPTABLE')
failed=$(count 'DEVIATION|ERROR|CRITICAL')
skipped=$(count 'SKIPPED')

if [[ -z "$results" ]]; then
  echo "scim2-tester ran no check (exit $checker_status):"
  sed -E 's/\x1b\[[0-9;]*m//g' "$log" | head -n 20
  echo "0 passed, 1 failed"
  exit 1
fi

echo "by status: $(printf '%s\n' "$results" | awk '{print $1}' | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
if [[ "$failed" -gt 0 ]]; then
  echo "failing checks (reasons in $log):"
  # the failing result lines with the first line of their reason
  sed -E 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /^(DEVIATION|ERROR|CRITICAL) / { print "  " $0; want = 1; next }
    /^[A-Z]+ / { want = 0; next }
    want && /^  / { sub(/^  /, ""); print "      " substr($0, 1, 240); want = 0 }
  '
fi
echo "scim2-tester: ${passed} passed, ${failed} failed, ${skipped} skipped"
echo "${passed} passed, ${failed} failed"
[[ "$failed" -eq 0 && "$checker_status" -eq 0 ]]
