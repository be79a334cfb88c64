#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis, driven by the server's own OpenAPI document
# (/api/openapi.json): a server on a fresh database with the demo seeded, then one pass
# anonymous, one as the demo organiser and one as the demo attendee. Fails on any 5xx and
# on any error whose body is not in the API.md shape; prints what it sent.
set -euo pipefail
cd "$(dirname "$0")/../.."

server_bin="${SERVER_BIN:-target/debug/server}"
examples="${FUZZ_EXAMPLES:-20}"
tools="${NETEVENT_TOOLS_DIR:-$HOME/.cache/netevent/tools}"
venv="$tools/schemathesis"
if [ ! -x "$venv/bin/st" ]; then
  echo "Installing schemathesis (PyPI) into $venv…"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"; python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
fi

url="${DATABASE_URL:-mysql://root@127.0.0.1:3306/netevent}"
re='^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/'
[[ "$url" =~ $re ]] || { echo "DATABASE_URL must look like mysql://user[:password]@host[:port]/database" >&2; exit 1; }
db_user="${BASH_REMATCH[1]}"; db_pass="${BASH_REMATCH[3]}"; db_host="${BASH_REMATCH[4]}"
db_port="${BASH_REMATCH[6]:-3306}"
server_part="${url%/*}"
database="netevent_fuzz_$$"
port="${FUZZ_PORT:-3130}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
client=$(command -v mariadb || command -v mysql)
sql() { MYSQL_PWD="$db_pass" "$client" --protocol=TCP -h "$db_host" -P "$db_port" -u "$db_user" -e "$1"; }

cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  sql "DROP DATABASE IF EXISTS \`$database\`" || true
  rm -rf "$work"
}
trap cleanup EXIT
sql "CREATE DATABASE \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

DATABASE_URL="$server_part/$database" NETEVENT_ADDR="127.0.0.1:$port" NETEVENT_SEED_DEMO=true \
  NETEVENT_UPLOAD_DIR="$work/uploads" LOGIN_ATTEMPTS_PER_MINUTE=1000000 LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=1000000 RUST_LOG=warn \
  "$server_bin" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.25
done
curl -fs "$base/api/openapi.json" >/dev/null

session() { # email password path -> the session cookie
  curl -fs -c - -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"netevent-demo\"}" "$base$2" |
    awk '$6 == "netevent_session" { print "netevent_session=" $7 }'
}
organiser=$(session organizer@demo.netevent.dev /api/auth/organizer/login)
attendee=$(session ada@demo.netevent.dev /api/auth/attendee/login)
[ -n "$organiser" ] && [ -n "$attendee" ] || { echo "demo logins failed" >&2; exit 1; }

export SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$PWD/end2end/api-fuzz"
status=0
run_pass() { # name, then extra arguments for st
  local name="$1"; shift
  # From the scratch directory: schemathesis keeps a cache of crashes where it runs.
  (cd "$work" && FUZZ_STATS="$work/$name.json" "$venv/bin/st" run "$base/api/openapi.json" \
    --checks not_a_server_error,api_md_error_shape --max-examples "$examples" \
    --seed 20261125 --workers 1 --no-color --request-timeout 35 "$@" \
    >"$work/$name.log" 2>&1) || { status=1; sed -n "/= ERRORS =\|= FAILURES =/,/= SUMMARY =/p" "$work/$name.log" | cut -c1-300 | head -60; }
}
# Logging out or in (or Ada cancelling her RSVP) would end the session for the rest of the
# pass; the organiser goes last, as deleting the demo event ends Ada's registration.
run_pass anonymous
run_pass attendee -H "Cookie: $attendee" --exclude-path-regex '^/auth/|/rsvp$'
run_pass organiser -H "Cookie: $organiser" --exclude-path-regex '^/auth/'

python3 - "$work" <<'PY'
import json, sys, pathlib
totals = {"requests": 0, "server_errors": 0, "bad_error_bodies": 0}
for name in ("anonymous", "attendee", "organiser"):
    path = pathlib.Path(sys.argv[1]) / f"{name}.json"
    stats = json.loads(path.read_text()) if path.exists() else {}
    for key in totals:
        totals[key] += stats.get(key, 0)
    print(f"api fuzz, {name}: {stats.get('requests', 0)} requests, statuses {stats.get('by_status', {})}")
print(f"api fuzz: {totals['requests']} requests sent, {totals['server_errors']} 5xx seen, "
      f"{totals['bad_error_bodies']} error bodies not in the API.md shape")
sys.exit(1 if totals["requests"] == 0 or totals["server_errors"] or totals["bad_error_bodies"] else 0)
PY
[ "$status" = 0 ] || { echo "schemathesis found failures (logs above); server log:"; tail -20 "$work/server.log"; exit 1; }
