#!/usr/bin/env bash
# `make cluster`: a three-node MariaDB Galera cluster on loopback, three NetEvent instances
# (one on each node) and HAProxy in front of them, all on this machine, for trying and
# testing NetEvent beyond one database server (docs/deploy.md, "A cluster on one machine").
#
#   HAProxy          http://127.0.0.1:3080   (stats at http://127.0.0.1:3089/)
#   NetEvent         127.0.0.1:3101 3102 3103, each on its own node
#   Galera nodes     127.0.0.1:3311 3312 3313 (group 4411-4413, IST 4421-4423, SST 4431-4433)
#
# Every start is a new cluster: the data of the last one is removed. `make cluster-down`
# (deploy/cluster/down.sh) stops it all. Photos are kept in the database
# (NETEVENT_PHOTOS=database), so any instance serves any photo.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${NETEVENT_CLUSTER_DIR:-/var/tmp/netevent-cluster}"
server="${SERVER_BIN:-${CARGO_TARGET_DIR:-target}/release/server}"
site="${LEPTOS_SITE_ROOT:-target/site}"
nodes="${NETEVENT_CLUSTER_NODES:-3}"
[ -x "$server" ] || { echo "no server binary at $server (make release)"; exit 1; }

for tool in mariadbd mariadb-install-db haproxy rsync; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: .ci/install-tools.sh --cluster"; exit 1; }
done
[ -f /usr/lib/galera/libgalera_smm.so ] || { echo "galera-4 is missing: .ci/install-tools.sh --cluster"; exit 1; }

deploy/cluster/down.sh >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir/uploads"

# The cluster's client never reads the system's MariaDB settings (--no-defaults).
sql() { local node=$1; shift; mariadb --no-defaults --protocol=socket -S "$dir/node$node/mysqld.sock" -uroot "$@"; }

group=$(seq -s, -f "127.0.0.1:441%g" 1 "$nodes")
write_config() {
  local i=$1
  cat > "$dir/node$i/my.cnf" <<CNF
[mysqld]
datadir=$dir/node$i/data
socket=$dir/node$i/mysqld.sock
pid-file=$dir/node$i/mysqld.pid
log-error=$dir/node$i/error.log
port=331$i
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
innodb_buffer_pool_size=96M
max_connections=200
# Galera: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# The migrations create triggers (seat counts), as the application's own user.
log_bin_trust_function_creators=1
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=netevent
wsrep_cluster_address=gcomm://$group
wsrep_node_name=node$i
wsrep_node_address=127.0.0.1:441$i
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:441$i;ist.recv_addr=127.0.0.1:442$i;gcache.size=64M"
# A single statement (autocommit) that loses a conflict is run again by the node itself.
wsrep_retry_autocommit=4
# Reads wait until the node has applied what the cluster committed before them: a person
# who logs in through one instance is known at once to the next, on another node.
wsrep_sync_wait=1
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:443$i
CNF
}

# node<i>.sh starts node i and waits until it is part of the cluster (the fault tests start a
# killed node again with it); the first node of a new cluster is started with
# --wsrep-new-cluster.
write_node_script() {
  local i=$1
  cat > "$dir/node$i.sh" <<SCRIPT
#!/usr/bin/env bash
setsid mariadbd --defaults-file="$dir/node$i/my.cnf" --user=mysql "\$@" >>"$dir/node$i/stdout.log" 2>&1 < /dev/null &
for _ in \$(seq 1 240); do
  state=\$(mariadb --no-defaults --protocol=socket -S "$dir/node$i/mysqld.sock" -uroot -N -e "SHOW STATUS LIKE 'wsrep_ready'" 2>/dev/null | cut -f2)
  [ "\$state" = ON ] && { echo "node $i ready on 127.0.0.1:331$i"; exit 0; }
  sleep 0.5
done
echo "node $i did not become ready; its log:"; tail -30 "$dir/node$i/error.log"; exit 1
SCRIPT
  chmod +x "$dir/node$i.sh"
}

for i in $(seq 1 "$nodes"); do
  mkdir -p "$dir/node$i/data"
  write_config "$i"
  write_node_script "$i"
  mariadb-install-db --no-defaults --datadir="$dir/node$i/data" --user=mysql \
    --skip-test-db --auth-root-authentication-method=socket >/dev/null
  chown -R mysql:mysql "$dir/node$i"
done
chmod o+x "$dir"

"$dir/node1.sh" --wsrep-new-cluster
for i in $(seq 2 "$nodes"); do "$dir/node$i.sh"; done
size=$(sql 1 -N -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)
echo "Galera cluster of $size nodes"

# One database and one user, made on node 1 and replicated to the others.
sql 1 -e "CREATE DATABASE netevent CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
          CREATE USER 'netevent'@'127.0.0.1' IDENTIFIED BY 'netevent';
          GRANT ALL ON netevent.* TO 'netevent'@'127.0.0.1';
          GRANT ALL ON \`netevent\\_%\`.* TO 'netevent'@'127.0.0.1';"

# The instances start together and migrate once between them (the migration lock); the
# first also seeds the demo event.
# instance<i>.sh starts instance i (the fault tests start a stopped one again with it).
for i in $(seq 1 "$nodes"); do
  seed=false; [ "$i" = 1 ] && seed="${NETEVENT_SEED_DEMO:-true}"
  cat > "$dir/instance$i.sh" <<SCRIPT
#!/usr/bin/env bash
env NETEVENT_ADDR=127.0.0.1:310$i \\
    DATABASE_URL=mysql://netevent:netevent@127.0.0.1:331$i/netevent \\
    NETEVENT_PUBLIC_URL=http://127.0.0.1:3080 \\
    NETEVENT_TRUSTED_PROXIES=127.0.0.1/32 \\
    NETEVENT_PHOTOS=database \\
    NETEVENT_UPLOAD_DIR="$dir/uploads" \\
    NETEVENT_SEED_DEMO=$seed \\
    LEPTOS_SITE_ROOT="$(realpath "$site")" \\
    LOGIN_ATTEMPTS_PER_MINUTE=${LOGIN_ATTEMPTS_PER_MINUTE:-10} \\
    LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=${LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE:-120} \\
    RUST_LOG="${RUST_LOG:-info,tower_http=warn}" \\
    setsid "$(realpath "$server")" >>"$dir/instance$i.log" 2>&1 < /dev/null &
echo \$! > "$dir/instance$i.pid"
SCRIPT
  chmod +x "$dir/instance$i.sh"
  "$dir/instance$i.sh"
done
for i in $(seq 1 "$nodes"); do
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:310$i/readyz" >/dev/null 2>&1 && break
    kill -0 "$(cat "$dir/instance$i.pid")" 2>/dev/null || { echo "instance $i stopped:"; tail -20 "$dir/instance$i.log"; exit 1; }
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:310$i/readyz" >/dev/null || { echo "instance $i is not ready"; exit 1; }
  echo "instance $i ready on http://127.0.0.1:310$i (node $i)"
done

servers=""
for i in $(seq 1 "$nodes"); do
  servers+="    server app$i 127.0.0.1:310$i check"$'\n'
done
sed -e "s|@SERVERS@|${servers//$'\n'/\\n}|" -e "s|@DIR@|$dir|g" deploy/cluster/haproxy.cfg.in > "$dir/haproxy.cfg"
haproxy -c -q -f "$dir/haproxy.cfg"
haproxy -D -p "$dir/haproxy.pid" -f "$dir/haproxy.cfg"
for _ in $(seq 1 20); do
  curl -fsS http://127.0.0.1:3080/readyz >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS http://127.0.0.1:3080/readyz >/dev/null
echo
echo "NetEvent on the cluster: http://127.0.0.1:3080 (HAProxy's stats: http://127.0.0.1:3089/)"
echo "Logs and data: $dir. Stop it all with: make cluster-down"
