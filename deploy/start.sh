#!/usr/bin/env bash
# The production set-up (deploy/) on this machine, everything on 127.0.0.1 and in a temporary folder:
# nginx with deploy/nginx/helpdesk-proxy.conf in front of Odoo in prefork mode with deploy/odoo.conf
# (HTTP workers, the gevent websocket process, cron workers). Runs in the foreground; Ctrl-C or
# SIGTERM stops what it started, by PID. Real servers use deploy/systemd/ instead.
#
#   bash deploy/start.sh                                    serves the database of `scripts/helpdesk run`
#   HELPDESK_NODES=2 HELPDESK_REPLICA=1 bash deploy/start.sh  scale-out: two Odoo nodes behind nginx and a
#                                                           streaming replica for the read-only routes
#
# Environment (all optional):
#   HELPDESK_DB        database (default: helpdesk), the only one served (db_filter)
#   HELPDESK_PORT      nginx port (default: a free port)
#   HELPDESK_NODES     Odoo nodes, each a prefork server with its gevent process and cron workers (default: 1)
#   HELPDESK_WORKERS   HTTP workers per node (default: 2); HELPDESK_CRON_WORKERS cron workers per node (default: 1)
#   HELPDESK_REPLICA   1: a PostgreSQL hot standby of the local cluster (pg_basebackup, streaming replication)
#                      on a free port, used by the nodes through db_replica_host/db_replica_port
#   HELPDESK_RUN_DIR   folder for configuration, logs and PID files (default: a new temporary folder)
#   HELPDESK_DATA_DIR  Odoo's data_dir, where the database's filestore is (default: ~/.local/share/Odoo)
#   HELPDESK_EXTRA_ADDONS  more addons folders (comma-separated), after ours and Odoo's: e.g. another
#                      helpdesk's, to serve its database the same way (bench/load.sh)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/setup.sh
source "$REPO/scripts/setup.sh"

free_port() { "$ODOO_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DB="${HELPDESK_DB:-helpdesk}"
PORT="${HELPDESK_PORT:-$(free_port)}"
NODES="${HELPDESK_NODES:-1}"
REPLICA="${HELPDESK_REPLICA:-0}"
WORKERS="${HELPDESK_WORKERS:-2}"
CRON_WORKERS="${HELPDESK_CRON_WORKERS:-1}"
RUN="${HELPDESK_RUN_DIR:-$(mktemp -d /tmp/helpdesk-deploy.XXXXXX)}"
DATA_DIR="${HELPDESK_DATA_DIR:-$HOME/.local/share/Odoo}"
ADDONS_PATH="$REPO,$ODOO_ADDONS${HELPDESK_EXTRA_ADDONS:+,$HELPDESK_EXTRA_ADDONS}"
mkdir -p "$RUN/nginx"
psql -lqt | cut -d'|' -f1 | grep -qw "$DB" || { echo "[deploy] no database $DB: run scripts/helpdesk run first" >&2; exit 1; }

declare -A HTTP_PORTS GEVENT_PORTS
for n in $(seq "$NODES"); do HTTP_PORTS[$n]="$(free_port)"; GEVENT_PORTS[$n]="$(free_port)"; done

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
    # Which node answered each request: \$upstream_addr.
    log_format upstream '\$remote_addr [\$time_local] "\$request" \$status \$upstream_addr \$request_time';
    access_log $RUN/nginx-access.log upstream;
    client_body_temp_path $RUN/nginx/client_body;
    proxy_temp_path $RUN/nginx/proxy;
    fastcgi_temp_path $RUN/nginx/fastcgi;
    uwsgi_temp_path $RUN/nginx/uwsgi;
    scgi_temp_path $RUN/nginx/scgi;
    upstream odoo { $(for n in $(seq "$NODES"); do echo "server 127.0.0.1:${HTTP_PORTS[$n]};"; done) }
    upstream odoochat { $(for n in $(seq "$NODES"); do echo "server 127.0.0.1:${GEVENT_PORTS[$n]};"; done) }
    map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
    server {
        listen 127.0.0.1:$PORT;
        server_name localhost;
        include $REPO/deploy/nginx/helpdesk-proxy.conf;
    }
}
NGINX

odoo_pids=()
other_pids=()
replica_pid=""
REPLICA_DIR=""
all_stopped() { for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 1; done; return 0; }
stop() {
  trap - EXIT INT TERM
  local children=() pid
  for pid in "${odoo_pids[@]}"; do mapfile -t -O "${#children[@]}" children < <(pgrep -P "$pid" || true); done
  local all=("${odoo_pids[@]}" "${other_pids[@]}" "${children[@]}")
  if [ "${#all[@]}" -gt 0 ]; then
    echo "[deploy] stopping ${odoo_pids[*]} ${other_pids[*]}" >&2
    # Odoo's master stops its workers and gevent process on SIGTERM, gracefully (they finish their
    # request); a second SIGTERM kills them. Whatever is left after that is killed by PID.
    kill -TERM "${odoo_pids[@]}" "${other_pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do all_stopped "${all[@]}" && break; sleep 0.1; done
    kill -TERM "${odoo_pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do all_stopped "${all[@]}" && break; sleep 0.1; done
    kill -KILL "${all[@]}" 2>/dev/null || true
  fi
  if [ -n "$replica_pid" ]; then
    # PostgreSQL's immediate shutdown: the standby is thrown away with its folder.
    kill -QUIT "$replica_pid" 2>/dev/null || true
    for _ in $(seq 100); do all_stopped "$replica_pid" && break; sleep 0.1; done
    kill -KILL "$replica_pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  [ -z "$REPLICA_DIR" ] || rm -rf "$REPLICA_DIR"
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Scale-out: a hot standby of the local PostgreSQL cluster, streaming from it, for read-only routes.
replica_args=()
if [ "$REPLICA" = 1 ]; then
  # PostgreSQL refuses to run as root: the standby runs as the cluster's owner, in its own folder.
  as_postgres_exec() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else sudo -u postgres "$@"; fi; }
  PGBIN="/usr/lib/postgresql/$PGVER/bin"
  REPLICA_PORT="$(free_port)"
  REPLICA_DIR="$(mktemp -d /tmp/helpdesk-replica.XXXXXX)"
  chmod 755 "$REPLICA_DIR"
  chown postgres: "$REPLICA_DIR"
  echo "[deploy] streaming replica: pg_basebackup of the local cluster into $REPLICA_DIR" >&2
  as_postgres_exec "$PGBIN/pg_basebackup" -h /var/run/postgresql -U postgres -D "$REPLICA_DIR/data" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync
  # A standby needs at least the primary's values of these settings.
  settings="$(for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    echo "$name = $(psql -d postgres -tAc "SHOW $name")"; done)"
  as_postgres_exec tee "$REPLICA_DIR/data/postgresql.conf" >/dev/null <<PGCONF
listen_addresses = ''
port = $REPLICA_PORT
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
# A throwaway loopback standby: no fsync (nor the sync of the whole copy at start-up).
fsync = off
$settings
PGCONF
  printf 'local all all peer\nlocal replication all peer\n' | as_postgres_exec tee "$REPLICA_DIR/data/pg_hba.conf" >/dev/null
  as_postgres_exec touch "$REPLICA_DIR/data/pg_ident.conf"
  as_postgres_exec "$PGBIN/postgres" -D "$REPLICA_DIR/data" >"$RUN/replica.log" 2>&1 &
  replica_pid=$!
  for _ in $(seq 300); do
    [ "$(psql -h "$REPLICA_DIR" -p "$REPLICA_PORT" -d "$DB" -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    kill -0 "$replica_pid" 2>/dev/null || { echo "[deploy] the replica died at start, see $RUN/replica.log" >&2; exit 1; }
    sleep 0.1
  done
  replica_args=(--db_replica_host="$REPLICA_DIR" --db_replica_port="$REPLICA_PORT")
fi

# Odoo: deploy/odoo.conf as in production; the command line overrides only what differs on loopback.
# The HTTP workers' wait for a connection's request, as deploy/systemd/odoo-helpdesk.service sets it.
export ODOO_HTTP_SOCKET_TIMEOUT="${ODOO_HTTP_SOCKET_TIMEOUT:-10}"
for n in $(seq "$NODES"); do
  "$ODOO_VENV/bin/python" "$ODOO_BIN" -c "$REPO/deploy/odoo.conf" --addons-path="$ADDONS_PATH" \
    -d "$DB" --db-filter="^$DB\$" --data-dir="$DATA_DIR" --http-interface=127.0.0.1 \
    --http-port="${HTTP_PORTS[$n]}" --gevent-port="${GEVENT_PORTS[$n]}" --workers="$WORKERS" \
    --max-cron-threads="$CRON_WORKERS" --logfile="$RUN/odoo-$n.log" --pidfile="$RUN/odoo-$n.pid" "${replica_args[@]}" &
  odoo_pids+=($!)
done
nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" &
other_pids+=($!)

URL="http://127.0.0.1:$PORT"
health() {
  # Each node's HTTP workers and gevent (websocket) process directly, then nginx.
  for n in $(seq "$NODES"); do
    for port in "${HTTP_PORTS[$n]}" "${GEVENT_PORTS[$n]}"; do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/web/health")" = 200 ] || return 1
    done
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/web/health")" = 200 ]
}
for _ in $(seq 900); do
  health && break
  for pid in "${odoo_pids[@]}" "${other_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "[deploy] a process died at start, see $RUN/*.log" >&2; exit 1; }
  done
  sleep 0.1
done
health || { echo "[deploy] /web/health does not answer, see $RUN/*.log" >&2; exit 1; }
{
  echo "URL=$URL"
  echo "DB=$DB"
  echo "NODES=$NODES"
  for n in $(seq "$NODES"); do
    echo "NODE${n}_PID=${odoo_pids[$((n - 1))]}"
    echo "NODE${n}_HTTP_PORT=${HTTP_PORTS[$n]}"
    echo "NODE${n}_GEVENT_PORT=${GEVENT_PORTS[$n]}"
  done
  echo "NGINX_PID=${other_pids[0]}"
  [ -z "$REPLICA_DIR" ] || echo "REPLICA_HOST=$REPLICA_DIR"
  [ -z "$REPLICA_DIR" ] || echo "REPLICA_PORT=$REPLICA_PORT"
} > "$RUN/ready.tmp"
mv "$RUN/ready.tmp" "$RUN/ready"
echo "[deploy] Helpdesk behind nginx: $URL  (database $DB; logs, configuration and PID files in $RUN)"
echo "[deploy]   nginx ${other_pids[0]} on 127.0.0.1:$PORT"
for n in $(seq "$NODES"); do
  echo "[deploy]   Odoo node $n (PID ${odoo_pids[$((n - 1))]}): $WORKERS HTTP workers on :${HTTP_PORTS[$n]}," \
    "gevent (websocket) on :${GEVENT_PORTS[$n]}, $CRON_WORKERS cron worker(s)"
done
[ -z "$REPLICA_DIR" ] || echo "[deploy]   PostgreSQL streaming replica (PID $replica_pid) on $REPLICA_DIR:$REPLICA_PORT"
echo "[deploy] Ctrl-C (or kill $$) stops everything."
wait -n
echo "[deploy] a process ended, stopping the others; see $RUN/*.log" >&2
exit 1
