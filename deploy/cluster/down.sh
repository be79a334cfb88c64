#!/usr/bin/env bash
# `make cluster-down`: stops what `make cluster` started (HAProxy, the instances, the
# Galera nodes). The data stays in the cluster directory until the next `make cluster`.
set -uo pipefail
dir="${NETEVENT_CLUSTER_DIR:-/var/tmp/netevent-cluster}"
[ -d "$dir" ] || exit 0
stop() { # a pid file: TERM, then KILL after 15 s
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$file"
}
stop "$dir/haproxy.pid"
for f in "$dir"/instance*.pid; do stop "$f" & done
wait
# The nodes last, the first one after the others.
for f in $(ls -r "$dir"/node*/mysqld.pid 2>/dev/null); do stop "$f"; done
echo "cluster stopped"
