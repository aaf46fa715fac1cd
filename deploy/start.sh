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
#   HELPDESK_CHANNELS  1: the channels wired as in production, on loopback: gammu-smsd (Gammu's dummy phone,
#                      no modem) storing SMS in the database HELPDESK_SMSD_DB (default: <HELPDESK_DB>_smsd) with
#                      RunOnReceive calling Odoo through nginx, and a baresip softphone (extension
#                      HELPDESK_EXTENSION, default 1001, of the agent "agent") with its bridge to Odoo
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
CHANNELS="${HELPDESK_CHANNELS:-0}"
SMSD_DB="${HELPDESK_SMSD_DB:-${HELPDESK_DB:-helpdesk}_smsd}"
EXTENSION="${HELPDESK_EXTENSION:-1001}"
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

# The channels, wired as deploy/gammu/gammu-smsdrc and deploy/systemd/ do on a real server, on loopback.
if [ "$CHANNELS" = 1 ]; then
  if ! psql -lqt | cut -d'|' -f1 | grep -qw "$SMSD_DB"; then
    createdb "$SMSD_DB"
    schema=/usr/share/doc/gammu-smsd/examples/pgsql.sql
    { if [ -f "$schema" ]; then cat "$schema"; else zcat "$schema.gz"; fi; } | grep -v '^CREATE LANGUAGE' \
      | psql -q -v ON_ERROR_STOP=1 -d "$SMSD_DB" >/dev/null
  fi
  # baresip listens on SIP_PORT (UDP and TCP) and one above (TLS): a port whose neighbour is free too.
  SIP_PORT="$("$ODOO_VENV/bin/python" - <<'PY'
import socket
while True:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    try:
        for kind, number in ((socket.SOCK_DGRAM, port), (socket.SOCK_STREAM, port), (socket.SOCK_STREAM, port + 1)):
            with socket.socket(socket.AF_INET, kind) as sock:
                sock.bind(("127.0.0.1", number))
    except OSError:
        continue
    print(port)
    break
PY
)"
  CONTROL_PORT="$(free_port)"
  wiring="$("$ODOO_VENV/bin/python" "$REPO/deploy/channels.py" --db "$DB" --addons-path "$REPO,$ODOO_ADDONS" \
    --smsd-db "$SMSD_DB" --extension "$EXTENSION" --control "tcp://127.0.0.1:$CONTROL_PORT")"
  eval "$wiring"
  (umask 077; printf '%s' "$GATEWAY_TOKEN" > "$RUN/gammu-smsd-odoo.token"; printf '%s' "$PBX_TOKEN" > "$RUN/voip.token")
  mkdir -p "$RUN/phone" "$RUN/softphone"
  cat > "$RUN/gammu-smsdrc" <<SMSDRC
[gammu]
model = dummy
connection = none
device = $RUN/phone

[smsd]
service = sql
driver = native_pgsql
host = /var/run/postgresql
user = $(id -un)
password = unused
database = $SMSD_DB
PhoneID = loopback
ReceiveFrequency = 1
StatusFrequency = 0
LoopSleep = 1
logfile = $RUN/gammu-smsd.log
RunOnReceive = /bin/sh $REPO/helpdesk_sms/scripts/gammu_run_on_receive.sh $URL/helpdesk_sms/gateway/$GATEWAY_ID/received $RUN/gammu-smsd-odoo.token
SMSDRC
  gammu-smsd -c "$RUN/gammu-smsdrc" >>"$RUN/gammu-smsd.log" 2>&1 &
  other_pids+=($!)
  # The agent's softphone: deploy/baresip/config without a sound card; calls come straight to it.
  cat > "$RUN/softphone/config" <<BARESIP
poll_method epoll
sip_listen 127.0.0.1:$SIP_PORT
sip_transports udp
net_interface 127.0.0.1
audio_player aubridge,null
audio_alert aubridge,null
audio_source ausine,440
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:$CONTROL_PORT
BARESIP
  echo "<sip:$EXTENSION@127.0.0.1:$SIP_PORT;transport=udp>;regint=0;answermode=manual;audio_codecs=PCMU" \
    > "$RUN/softphone/accounts"
  : > "$RUN/softphone/contacts"
  baresip -f "$RUN/softphone" >"$RUN/baresip.log" 2>&1 </dev/null &
  other_pids+=($!)
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$CONTROL_PORT") 2>/dev/null && break; sleep 0.1; done
  "$ODOO_VENV/bin/python" "$REPO/helpdesk_voip/bridge/baresip_bridge.py" --control "tcp://127.0.0.1:$CONTROL_PORT" \
    --extension "$EXTENSION" --odoo "$URL/helpdesk_voip/softphone/$PBX_ID" --token-file "$RUN/voip.token" \
    >"$RUN/bridge.log" 2>&1 &
  other_pids+=($!)
fi
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
  if [ "$CHANNELS" = 1 ]; then
    echo "SMSD_CONFIG=$RUN/gammu-smsdrc"
    echo "SMSD_DB=$SMSD_DB"
    echo "GATEWAY_ID=$GATEWAY_ID"
    echo "PBX_ID=$PBX_ID"
    echo "SOFTPHONE_URI=sip:$EXTENSION@127.0.0.1:$SIP_PORT"
  fi
} > "$RUN/ready.tmp"
mv "$RUN/ready.tmp" "$RUN/ready"
echo "[deploy] Helpdesk behind nginx: $URL  (database $DB; logs, configuration and PID files in $RUN)"
echo "[deploy]   nginx ${other_pids[0]} on 127.0.0.1:$PORT"
for n in $(seq "$NODES"); do
  echo "[deploy]   Odoo node $n (PID ${odoo_pids[$((n - 1))]}): $WORKERS HTTP workers on :${HTTP_PORTS[$n]}," \
    "gevent (websocket) on :${GEVENT_PORTS[$n]}, $CRON_WORKERS cron worker(s)"
done
[ -z "$REPLICA_DIR" ] || echo "[deploy]   PostgreSQL streaming replica (PID $replica_pid) on $REPLICA_DIR:$REPLICA_PORT"
if [ "$CHANNELS" = 1 ]; then
  echo "[deploy]   gammu-smsd (dummy phone) on database $SMSD_DB, RunOnReceive to SMS gateway $GATEWAY_ID;" \
    "an SMS arrives with: gammu -c $RUN/gammu-smsdrc addsms 1 FILE.smsbackup -yes"
  echo "[deploy]   baresip softphone of extension $EXTENSION${AGENT:+ ($AGENT)} at sip:$EXTENSION@127.0.0.1:$SIP_PORT," \
    "bridged to PBX connection $PBX_ID"
fi
echo "[deploy] Ctrl-C (or kill $$) stops everything."
wait -n
echo "[deploy] a process ended, stopping the others; see $RUN/*.log" >&2
exit 1
