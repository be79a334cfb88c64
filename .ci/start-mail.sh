#!/usr/bin/env bash
# Starts a local mail catcher for `make run` unless one already answers: maildev (npm, from
# .ci/install-tools.sh) takes SMTP on 127.0.0.1:1025 and shows every mail on
# http://127.0.0.1:1080, so a newcomer sees the mail the demo sends.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${NETEVENT_TOOLS_DIR:-$HOME/.cache/netevent/tools}"
smtp="${MAIL_SMTP_PORT:-1025}"; web="${MAIL_WEB_PORT:-1080}"
if ! curl -sf "http://127.0.0.1:$web/api/email" >/dev/null 2>&1; then
  mkdir -p target
  nohup "$tools/node_modules/.bin/maildev" --smtp "$smtp" --web "$web" --ip 127.0.0.1 \
    --web-ip 127.0.0.1 --mail-directory target/mail >target/maildev.log 2>&1 &
  for _ in $(seq 1 40); do
    curl -sf "http://127.0.0.1:$web/api/email" >/dev/null 2>&1 && break
    sleep 0.25
  done
fi
echo "Mail the server sends (SMTP 127.0.0.1:$smtp) shows at http://127.0.0.1:$web"
