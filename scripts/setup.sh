#!/usr/bin/env bash
# Idempotent set-up shared by `scripts/helpdesk run` and `scripts/helpdesk test`:
# Debian packages, PostgreSQL, the Odoo 19.0 source, a virtualenv with Odoo's and our requirements.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
export ODOO_VENV="${ODOO_VENV:-/opt/odoo-venv}"
export PGUSER="${PGUSER:-$(id -un)}"
ODOO_COMMUNITY_TARBALL="${ODOO_COMMUNITY_TARBALL:-https://github.com/odoo/odoo/archive/refs/heads/19.0.tar.gz}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Debian packages: build deps of Odoo's requirements, PostgreSQL and the programs our addons talk to.
DEB_PACKAGES=(
  postgresql postgresql-contrib libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev
  libjpeg-dev zlib1g-dev libffi-dev libssl-dev python3-venv python3-dev build-essential curl
  gammu gammu-smsd kamailio kamailio-postgres-modules baresip-core dnsmasq-base ltsp
  chromium wkhtmltopdf fonts-dejavu-core nginx
)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  # policy-rc.d keeps package scripts from starting kamailio/gammu-smsd/nginx system services.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

# 2. PostgreSQL running, with a superuser role for Odoo (tests create and drop databases).
PGVER="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_lsclusters -h | grep -q . || $SUDO pg_createcluster "$PGVER" main >/dev/null
  log "starting PostgreSQL $PGVER"
  $SUDO pg_ctlcluster "$PGVER" main start
fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "PGUSER=postgres $*"; else sudo -u postgres sh -c "PGUSER=postgres $*"; fi; }
if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$PGUSER'\"" | grep -q 1; then
  log "creating PostgreSQL role $PGUSER"
  as_postgres "psql -qc 'CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER'"
fi

# 3. Odoo 19.0 source: ODOO_SRC, else the community branch from upstream.
if [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
  log "no Odoo source in $ODOO_SRC: downloading Odoo 19.0 community"
  $SUDO mkdir -p "$ODOO_SRC"
  curl -fsSL "$ODOO_COMMUNITY_TARBALL" | $SUDO tar -xz -C "$ODOO_SRC" --strip-components=1
fi
grep -q "version_info = (19, 0" "$ODOO_SRC/odoo/release.py" || { log "$ODOO_SRC is not Odoo 19.0"; exit 1; }

# 4. Virtualenv with Odoo's requirements and ours.
stamp="$ODOO_VENV/.helpdesk-requirements"
want="$(cat "$ODOO_SRC/requirements.txt" "$REPO/requirements.txt" | sha1sum | cut -c1-40)"
if [ ! -x "$ODOO_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "preparing virtualenv $ODOO_VENV"
  [ -x "$ODOO_VENV/bin/python" ] || python3 -m venv "$ODOO_VENV"
  build_constraints="$(mktemp)"
  echo 'setuptools<81' > "$build_constraints"
  PIP_BUILD_CONSTRAINT="$build_constraints" PIP_CONSTRAINT="$build_constraints" \
    "$ODOO_VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt" -r "$REPO/requirements.txt"
  rm -f "$build_constraints"
  echo "$want" > "$stamp"
fi

# Odoo itself is imported from ODOO_SRC (a .pth file keeps the source where it is).
site="$("$ODOO_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
[ "$(cat "$site/odoo-src.pth" 2>/dev/null)" = "$ODOO_SRC" ] || echo "$ODOO_SRC" > "$site/odoo-src.pth"

# 5. Odoo's command, for the addons path the nightly layout (odoo/addons) and the git layout (addons/).
if [ -x "$ODOO_SRC/odoo-bin" ]; then ODOO_BIN="$ODOO_SRC/odoo-bin"; else ODOO_BIN="$ODOO_SRC/setup/odoo"; fi
ODOO_ADDONS="$ODOO_SRC/odoo/addons"
[ -d "$ODOO_SRC/addons" ] && ODOO_ADDONS="$ODOO_SRC/addons,$ODOO_ADDONS"
export ODOO_BIN ODOO_ADDONS
