#!/usr/bin/env bash
# The production set-up (deploy/) on this machine, everything on 127.0.0.1 and in a temporary folder:
# nginx with deploy/nginx/helpdesk-proxy.conf in front of Odoo in prefork mode with deploy/odoo.conf
# (HTTP workers, the gevent websocket process, cron workers). Runs in the foreground; Ctrl-C or
# SIGTERM stops what it started, by PID. Real servers use deploy/systemd/ instead.
#
#   bash deploy/start.sh            serves the database made by `scripts/helpdesk run`
#
# Environment (all optional):
#   HELPDESK_DB        database (default: helpdesk), the only one served (db_filter)
#   HELPDESK_PORT      nginx port (default: a free port); HELPDESK_HTTP_PORT, HELPDESK_GEVENT_PORT Odoo's
#   HELPDESK_WORKERS   HTTP workers (default: 2); HELPDESK_CRON_WORKERS cron workers (default: 1)
#   HELPDESK_RUN_DIR   folder for configuration, logs and PID files (default: a new temporary folder)
#   HELPDESK_DATA_DIR  Odoo's data_dir, where the database's filestore is (default: ~/.local/share/Odoo)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$REPO/scripts/setup.sh"

free_port() { "$ODOO_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DB="${HELPDESK_DB:-helpdesk}"
PORT="${HELPDESK_PORT:-$(free_port)}"
HTTP_PORT="${HELPDESK_HTTP_PORT:-$(free_port)}"
GEVENT_PORT="${HELPDESK_GEVENT_PORT:-$(free_port)}"
WORKERS="${HELPDESK_WORKERS:-2}"
CRON_WORKERS="${HELPDESK_CRON_WORKERS:-1}"
RUN="${HELPDESK_RUN_DIR:-$(mktemp -d /tmp/helpdesk-deploy.XXXXXX)}"
DATA_DIR="${HELPDESK_DATA_DIR:-$HOME/.local/share/Odoo}"
mkdir -p "$RUN/nginx"
psql -lqt | cut -d'|' -f1 | grep -qw "$DB" || { echo "[deploy] no database $DB: run scripts/helpdesk run first" >&2; exit 1; }

# nginx: the production locations (deploy/nginx/helpdesk-proxy.conf) in a loopback server without TLS.
nginx_user=""
# As root, nginx's workers would run as "nobody", who cannot use the private temporary folder.
[ "$(id -u)" = 0 ] && nginx_user="user root root;"
cat > "$RUN/nginx.conf" <<NGINX
$nginx_user
worker_processes 1;
daemon off;
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $RUN/nginx-access.log;
    client_body_temp_path $RUN/nginx/client_body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    upstream odoo { server 127.0.0.1:$HTTP_PORT; }
    upstream odoochat { server 127.0.0.1:$GEVENT_PORT; }
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
    server {
        listen 127.0.0.1:$PORT;
        server_name localhost;
        include $REPO/deploy/nginx/helpdesk-proxy.conf;
    }
}
NGINX

pids=()
all_stopped() { for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 1; done; return 0; }
stop() {
  trap - EXIT INT TERM
  [ "${#pids[@]}" -gt 0 ] || return 0
  echo "[deploy] stopping ${pids[*]}" >&2
  # Odoo's master stops its workers and gevent process on SIGTERM, gracefully (they finish their
  # request); a second SIGTERM kills them. Whatever is left after that is killed by PID.
  mapfile -t children < <(pgrep -P "${pids[0]}" || true)
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do all_stopped "${pids[@]}" "${children[@]}" && break; sleep 0.1; done
  kill -TERM "${pids[0]}" 2>/dev/null || true
  for _ in $(seq 50); do all_stopped "${pids[@]}" "${children[@]}" && break; sleep 0.1; done
  kill -KILL "${pids[@]}" "${children[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Odoo: deploy/odoo.conf as in production; the command line overrides only what differs on loopback.
"$ODOO_VENV/bin/python" "$ODOO_BIN" -c "$REPO/deploy/odoo.conf" --addons-path="$REPO,$ODOO_ADDONS" \
  -d "$DB" --db-filter="^$DB\$" --data-dir="$DATA_DIR" --http-interface=127.0.0.1 \
  --http-port="$HTTP_PORT" --gevent-port="$GEVENT_PORT" --workers="$WORKERS" --max-cron-threads="$CRON_WORKERS" \
  --logfile="$RUN/odoo.log" --pidfile="$RUN/odoo.pid" &
pids+=($!)
nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" &
pids+=($!)

URL="http://127.0.0.1:$PORT"
for _ in $(seq 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/web/health")" = 200 ] && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "[deploy] a process died at start, see $RUN/*.log" >&2; tail -20 "$RUN/odoo.log" >&2; exit 1; }
  done
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/web/health")" = 200 ] || { echo "[deploy] $URL/web/health does not answer, see $RUN/*.log" >&2; exit 1; }
cat > "$RUN/ready" <<READY
URL=$URL
DB=$DB
ODOO_HTTP_PORT=$HTTP_PORT
ODOO_GEVENT_PORT=$GEVENT_PORT
ODOO_PID=${pids[0]}
NGINX_PID=${pids[1]}
READY
cat <<MSG
[deploy] Helpdesk in prefork mode behind nginx: $URL  (database $DB)
[deploy]   nginx ${pids[1]} on 127.0.0.1:$PORT, Odoo ${pids[0]}: $WORKERS HTTP workers on :$HTTP_PORT,
[deploy]   gevent (websocket) on :$GEVENT_PORT, $CRON_WORKERS cron worker(s); logs and PID files in $RUN
[deploy] Ctrl-C (or kill $$) stops everything.
MSG
wait -n
echo "[deploy] a process ended, stopping the others; see $RUN/*.log" >&2
exit 1
