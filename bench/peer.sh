# Sourced by bench/run.sh and bench/load.sh (after scripts/setup.sh): the peer, OCA helpdesk_mgmt from PyPI
# without its dependencies, and the addons paths of the benchmark databases (its folder on theirs only).
"$ODOO_VENV/bin/pip" install -q --no-deps 'odoo-addon-helpdesk-mgmt==19.0.*'
PEER_ADDONS="$("$ODOO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons"
OURS_ADDONS="$(cd "$REPO" && ls -d helpdesk_*/ | tr -d / | paste -sd, -)"
export BENCH_ADDONS_PATH="$REPO,$ODOO_ADDONS,$PEER_ADDONS"
