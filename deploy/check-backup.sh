#!/usr/bin/env bash
# Shows deploy/backup.sh and deploy/restore.sh working, on the local MariaDB: builds a
# scratch NetEvent database from migrations/, adds an organiser, an event, attendees and a
# photo, backs it up, restores it into a second database and photo directory, then checks
# that every table's checksum, every trigger and the photo came back — and that the restored
# triggers still keep the attendee count. Cleans up after itself.
#   deploy/check-backup.sh          (MariaDB at 127.0.0.1:3306, root, as `make run` uses)
set -euo pipefail
cd "$(dirname "$0")/.."
export MYSQL_HOST=${MYSQL_HOST:-127.0.0.1} MYSQL_TCP_PORT=${MYSQL_TCP_PORT:-3306}
user=${MYSQL_USER:-root}
sql() { mariadb -u"$user" --batch --skip-column-names "$@"; }
a="netevent_backup_a_$$" b="netevent_backup_b_$$"
work=$(mktemp -d)
cleanup() { sql -e "DROP DATABASE IF EXISTS \`$a\`; DROP DATABASE IF EXISTS \`$b\`"; rm -rf "$work"; }
trap cleanup EXIT

sql -e "CREATE DATABASE \`$a\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
for up in migrations/*/up.sql; do sql "$a" < "$up"; done
sql "$a" <<'SQL'
INSERT INTO organizers (email, password_hash, name) VALUES ('olga@example.com', 'x', 'Olga');
INSERT INTO events (organizer_id, code, name, start_time, end_time, timezone, start_utc, end_utc)
  VALUES (1, 'BKUPCHK1', 'Backup Day', '2030-05-04 09:00', '2030-05-04 17:00', 'UTC',
          '2030-05-04 09:00', '2030-05-04 17:00');
INSERT INTO attendees (event_id, email, password_hash, first_name, last_name, checkin_token, profile_picture)
  VALUES (1, 'ada@example.com', 'x', 'Ada', 'Lovelace', 'TOKEN-ADA', 'ada.jpg'),
         (1, 'zoe@example.com', 'x', 'Zoë', 'Łukasz', 'TOKEN-ZOE', NULL);
SQL
mkdir -p "$work/uploads/photos" "$work/restored"
head -c 20000 /dev/urandom > "$work/uploads/photos/ada.jpg"

folder=$(deploy/backup.sh "$a" "$work/uploads" "$work/backups")
deploy/restore.sh "$folder" "$b" "$work/restored" >/dev/null

tables=$(sql -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '$a' ORDER BY table_name")
checked=0
for t in $tables; do
  one=$(sql -e "CHECKSUM TABLE \`$a\`.\`$t\`" | cut -f2)
  two=$(sql -e "CHECKSUM TABLE \`$b\`.\`$t\`" | cut -f2)
  [ "$one" = "$two" ] || { echo "FAIL: table $t differs ($one vs $two)"; exit 1; }
  checked=$((checked + 1))
done
triggers() { sql -e "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = '$1'"; }
[ "$(triggers "$a")" = "$(triggers "$b")" ] || { echo "FAIL: triggers differ"; exit 1; }
cmp -s "$work/uploads/photos/ada.jpg" "$work/restored/photos/ada.jpg" || { echo "FAIL: photo differs"; exit 1; }
name=$(sql "$b" -e "SELECT CONCAT(first_name, ' ', last_name) FROM attendees WHERE email = 'zoe@example.com'")
[ "$name" = "Zoë Łukasz" ] || { echo "FAIL: name came back as '$name'"; exit 1; }
sql "$b" -e "INSERT INTO attendees (event_id, email, password_hash, first_name, last_name, checkin_token) VALUES (1, 'cy@example.com', 'x', 'Cy', 'Tester', 'TOKEN-CY')"
count=$(sql "$b" -e "SELECT attendee_count FROM events WHERE id = 1")
[ "$count" = "3" ] || { echo "FAIL: attendee count $count after a new registration, not 3"; exit 1; }
echo "backup and restore: $checked tables identical, $(triggers "$b") triggers, photo identical, names intact, triggers keep counting (2 -> $count)"
