#!/usr/bin/env bash
# Backs up NetEvent: the database (one consistent snapshot, with its triggers, which keep the
# counts and the directory's version) and the photo directory, into one dated folder.
#   deploy/backup.sh <database> <upload dir> <backup root>
# Database connection: the usual client options in the environment or ~/.my.cnf
# (MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_PWD …), e.g. MYSQL_HOST=127.0.0.1 MYSQL_TCP_PORT=3306.
set -euo pipefail
database=${1:?database name}
uploads=${2:?upload directory}
root=${3:?backup root}
dir="$root/netevent-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
# --single-transaction: a consistent InnoDB snapshot without locking writers.
mariadb-dump --single-transaction --routines --triggers --events --hex-blob \
  --default-character-set=utf8mb4 "$database" | gzip > "$dir/database.sql.gz"
if [ -d "$uploads" ]; then
  tar -C "$uploads" -czf "$dir/uploads.tar.gz" .
fi
echo "$dir"
