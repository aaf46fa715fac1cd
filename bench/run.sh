#!/usr/bin/env bash
# Benchmarks: our helpdesk vs OCA helpdesk_mgmt 19.0, in the same run, on the same PostgreSQL server.
# Usage: bash bench/run.sh [--quick]   (results: printed, and written to bench/RESULTS.md)
# The two databases are bench_ours and bench_peer; BENCH_OURS_DB and BENCH_PEER_DB name others.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/scripts/setup.sh"
PY="$ODOO_VENV/bin/python"

source "$REPO/bench/peer.sh"

OURS_DB="${BENCH_OURS_DB:-bench_ours}"
PEER_DB="${BENCH_PEER_DB:-bench_peer}"

for spec in "$OURS_DB:$OURS_ADDONS" "$PEER_DB:helpdesk_mgmt"; do
  db="${spec%%:*}"; modules="${spec#*:}"
  dropdb --if-exists "$db"
  echo "[bench] installing $modules into $db" >&2
  "$PY" "$ODOO_BIN" -c "$REPO/odoo.conf" --addons-path="$BENCH_ADDONS_PATH" -d "$db" -i "$modules" \
    --stop-after-init --log-level=warn
done
exec "$PY" "$REPO/bench/bench.py" --ours "$OURS_DB" --peer "$PEER_DB" "$@"
