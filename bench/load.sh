#!/usr/bin/env bash
# Figures under load: Locust (headless, on loopback) against the production set-up of deploy/start.sh,
# our four addons (database load_ours) and OCA helpdesk_mgmt (load_peer) with the same people and tickets.
# Agents and portal customers on both; SMS at 20/s (gammu's inbox + RunOnReceive) and calls at 2/s (PBX
# webhook) on ours. Runs: ours with 1 and 2 HTTP workers, ours with 2 workers and the streaming replica,
# ours with 1 and 2 workers without SMS and calls ("-web": the peer's load exactly), the peer with 1 and 2
# workers, and saturation runs ("-max": a few users without think time, the throughput 1 and 2 workers
# reach); each pair to compare run next to the other. Results: printed, and the "Load" section of
# bench/RESULTS.md.
#
#   bash bench/load.sh [--minutes N] [--quick] [--fresh] [--runs ours-1-web,peer-1,...]
#     --minutes N  minutes of load per run (default 3); --quick: 1 minute, for a smoke run
#     --fresh      drop and recreate the load databases (otherwise they are reused, data topped up)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/setup.sh"
PY="$ODOO_VENV/bin/python"

MINUTES=3
QUICK=0
FRESH=0
RUNS="ours-1-web,peer-1,ours-2-web,peer-2,ours-1,ours-2,ours-2-replica,ours-1-max,peer-1-max,ours-2-max,peer-2-max"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --quick) QUICK=1; MINUTES=1; shift ;;
    --fresh) FRESH=1; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "usage: $0 [--minutes N] [--quick] [--fresh] [--runs LIST]" >&2; exit 2 ;;
  esac
done
OURS_DB="${LOAD_OURS_DB:-load_ours}"
PEER_DB="${LOAD_PEER_DB:-load_peer}"
GAMMU_DB="${LOAD_GAMMU_DB:-load_gammu}"
TICKETS="${LOAD_TICKETS:-3000}"

source "$REPO/bench/peer.sh"

# Locust in a virtualenv of its own: it is no dependency of Odoo.
LOAD_VENV="$REPO/.venv-load"
if [ ! -x "$LOAD_VENV/bin/locust" ]; then
  echo "[load] installing Locust into $LOAD_VENV" >&2
  python3 -m venv "$LOAD_VENV"
  "$LOAD_VENV/bin/pip" install -q locust psycopg2-binary
fi

WORK="$(mktemp -d /tmp/helpdesk-load.XXXXXX)"
echo "[load] run files in $WORK" >&2
# Odoo's data_dir of the load databases (filestore, sessions): shared by the installs and the runs.
DATA_DIR="${LOAD_DATA_DIR:-/tmp/helpdesk-load-data}"
mkdir -p "$DATA_DIR"

db_exists() { psql -lqt | cut -d'|' -f1 | grep -qw "$1"; }
if [ "$FRESH" = 1 ]; then
  for db in "$OURS_DB" "$PEER_DB" "$GAMMU_DB"; do dropdb --if-exists --force "$db"; rm -rf "$DATA_DIR/filestore/$db"; done
fi
for spec in "$OURS_DB:$OURS_ADDONS" "$PEER_DB:helpdesk_mgmt"; do
  db="${spec%%:*}"; modules="${spec#*:}"
  if ! db_exists "$db"; then
    echo "[load] installing $modules into $db" >&2
    "$PY" "$ODOO_BIN" -c "$REPO/odoo.conf" --addons-path="$BENCH_ADDONS_PATH" -d "$db" -i "$modules" \
      --data-dir="$DATA_DIR" --stop-after-init --log-level=warn
  fi
done
if ! db_exists "$GAMMU_DB"; then
  createdb "$GAMMU_DB"
  "$PY" -c "import sys; sys.path.insert(0, '$REPO/tests'); from hd_sms_support import load_schema; print(load_schema())" \
    | psql -q -d "$GAMMU_DB" >/dev/null
fi
echo "[load] preparing agents, customers and $TICKETS tickets" >&2
"$PY" "$REPO/bench/load/prepare.py" ours "$OURS_DB" --tickets "$TICKETS" --gammu-db "$GAMMU_DB" --data-dir "$DATA_DIR" > "$WORK/ours.json"
"$PY" "$REPO/bench/load/prepare.py" peer "$PEER_DB" --tickets "$TICKETS" --data-dir "$DATA_DIR" > "$WORK/peer.json"

exec "$PY" "$REPO/bench/load/runs.py" --work "$WORK" --minutes "$MINUTES" --quick "$QUICK" --runs "$RUNS" \
  --data-dir "$DATA_DIR" --peer-addons "$PEER_ADDONS" --locust "$LOAD_VENV/bin/locust"
