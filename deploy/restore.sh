#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an empty (or new) database and photo
# directory. Stop the NetEvent instances first; start them again afterwards.
#   deploy/restore.sh <backup folder> <database> <upload dir>
set -euo pipefail
dir=${1:?backup folder}
database=${2:?database name}
uploads=${3:?upload directory}
mariadb -e "CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
gunzip -c "$dir/database.sql.gz" | mariadb --default-character-set=utf8mb4 "$database"
if [ -f "$dir/uploads.tar.gz" ]; then
  mkdir -p "$uploads"
  tar -C "$uploads" -xzf "$dir/uploads.tar.gz"
fi
echo "restored $dir into $database and $uploads"
