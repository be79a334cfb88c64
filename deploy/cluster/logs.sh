#!/usr/bin/env bash
# What the cluster's instances and nodes said that was not routine: the warnings and errors
# of each instance's log and each node's error log (make cluster-check prints it when a fault
# test fails, before the cluster is stopped and its directory removed).
dir=${NETEVENT_CLUSTER_DIR:-/var/tmp/netevent-cluster}
for log in "$dir"/instance*.log; do
    [ -f "$log" ] || continue
    echo "== $log (warnings and errors, last 40)"
    grep -E "WARN|ERROR|panicked" "$log" | tail -40
done
for log in "$dir"/node*/error.log; do
    [ -f "$log" ] || continue
    echo "== $log (last 20 lines)"
    tail -20 "$log"
done
