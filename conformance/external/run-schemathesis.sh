#!/usr/bin/env bash
# Fuzzes Roster with schemathesis from its own OpenAPI description (GET /openapi.json),
# bounded in time, and prints what it found.
#
#   bash conformance/external/run-schemathesis.sh                   # starts a Roster of its own
#   bash conformance/external/run-schemathesis.sh --origin URL --token T [--admin-token A]
#
# --origin is the server's root (https://roster.example.com, not …/scim/v2). Without it
# the script builds Roster and starts it with a throwaway data directory (see
# local-roster.sh). Without an admin token the admin API is left out. The run WRITES:
# it creates, changes and deletes users, groups, tokens and tenants (never
# DELETE /admin/v1/tenants/{tenant}, which could remove the tenant under test).
# SCHEMATHESIS_MAX_TIME bounds the run in seconds (default 300); SCHEMATHESIS_ARGS adds
# options of `schemathesis run`. Reports go to conformance/external/schemathesis-report/;
# schemathesis is installed into ~/.cache/roster/venvs on first use.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=local-roster.sh
source "$here/local-roster.sh"
server_log="$here/roster-server.log"
report_dir="$here/schemathesis-report"

origin="${ROSTER_ORIGIN:-}"
token="${ROSTER_TOKEN:-}"
admin_token="${ROSTER_ADMIN_TOKEN:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --origin) origin="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --admin-token) admin_token="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$origin" && -z "$token" ]]; then
  echo "--token (or ROSTER_TOKEN) is required with --origin" >&2
  exit 2
fi

ensure_venv schemathesis "$here/requirements-schemathesis.txt"
echo "schemathesis: $("$venv/bin/pip" show schemathesis 2>/dev/null | sed -n 's/^Version: //p')"

trap stop_local_roster EXIT
if [[ -z "$origin" ]]; then start_local_roster "$server_log"; fi
origin="${origin%/}"

excluded=(--exclude-operation-id deleteTenant)
if [[ -z "$admin_token" ]]; then excluded+=(--exclude-tag-regex '^Admin'); fi

echo "schemathesis: fuzzing $origin for up to ${SCHEMATHESIS_MAX_TIME:-300} s"
rm -rf "$report_dir"
set +e
# shellcheck disable=SC2086
ROSTER_TOKEN="$token" ROSTER_ADMIN_TOKEN="$admin_token" "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" --no-color \
  run "$origin/openapi.json" --url "$origin" --checks all --max-time "${SCHEMATHESIS_MAX_TIME:-300}" --workers 2 \
  "${excluded[@]}" --report junit,ndjson --report-dir "$report_dir" ${SCHEMATHESIS_ARGS:-}
status=$?
set -e
echo "schemathesis: exit $status (reports in $report_dir)"
if [[ -f "$server_log" ]] && grep -q '"level":50' "$server_log"; then
  echo "roster logged errors (500s) during the run:"
  grep '"level":50' "$server_log" | head -n 20 | cut -c1-300
fi
[[ "$status" -eq 0 ]]
