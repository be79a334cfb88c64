#!/usr/bin/env bash
# Makes sure a MySQL server answers at $DATABASE_URL and that its database exists.
# When none answers on a local address, starts a private MariaDB with its data under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${DATABASE_URL:-mysql://root@127.0.0.1:3306/netevent}"
re='^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/([A-Za-z0-9_]+)'
if [[ ! "$url" =~ $re ]]; then
  echo "DATABASE_URL must look like mysql://user[:password]@host[:port]/database" >&2
  exit 1
fi
user="${BASH_REMATCH[1]}"; pass="${BASH_REMATCH[3]}"; host="${BASH_REMATCH[4]}"
port="${BASH_REMATCH[6]:-3306}"; db="${BASH_REMATCH[7]}"

need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v mariadb >/dev/null && ! command -v mysql >/dev/null; then
  echo "Installing the MariaDB client…"
  need_root apt-get update -qq && need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-client >/dev/null
fi
client=$(command -v mariadb || command -v mysql)
sql() { MYSQL_PWD="$pass" "$client" --protocol=TCP -h "$host" -P "$port" -u "$user" "$@"; }

if ! sql -e 'SELECT 1' >/dev/null 2>&1; then
  case "$host" in 127.*|localhost) ;; *) echo "No MySQL server answers at $host:$port" >&2; exit 1 ;; esac
  echo "No MySQL server answers at $host:$port: starting a private MariaDB (data in target/mariadb)…"
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
    need_root apt-get update -qq && need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  PATH="$PATH:/usr/sbin"
  data="$PWD/target/mariadb"
  mkdir -p "$data"
  run_as=()
  if [ "$(id -u)" = 0 ]; then run_as=(--user=mysql); fi
  if [ "$(id -u)" = 0 ]; then chown -R mysql:mysql "$data"; fi
  if [ ! -d "$data/db/mysql" ]; then
    # Password authentication for root, so that TCP logins work (Debian's root is socket-only).
    mariadb-install-db --datadir="$data/db" "${run_as[@]}" --auth-root-authentication-method=normal >/dev/null
  fi
  nohup mariadbd "${run_as[@]}" --datadir="$data/db" --port="$port" --bind-address=127.0.0.1 \
    --socket="$data/mysqld.sock" --pid-file="$data/mysqld.pid" --skip-log-bin >"$data/server.log" 2>&1 &
  for _ in $(seq 1 60); do
    if MYSQL_PWD="" "$client" --protocol=TCP -h 127.0.0.1 -P "$port" -u root -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  if [ "$user" != root ]; then
    MYSQL_PWD="" "$client" --protocol=TCP -h 127.0.0.1 -P "$port" -u root -e \
      "CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$pass'; GRANT ALL ON *.* TO '$user'@'%';"
  fi
  sql -e 'SELECT 1' >/dev/null || { echo "MariaDB did not start; see $data/server.log" >&2; exit 1; }
fi
sql -e "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
echo "Database $db ready at $host:$port"
