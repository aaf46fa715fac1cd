"""Fixtures of the LTSP end-to-end tests: a committed LTSP server with terminals, and LTSP's own loader."""

import os
import shlex
import subprocess
import uuid

import e2e_support
import pytest

from odoo import SUPERUSER_ID, api

LTSP_MAIN = "/usr/share/ltsp/ltsp"


@pytest.fixture
def require_program():
    """The shared check: a missing program fails the test."""
    return e2e_support.require_program


@pytest.fixture
def committed_servers(odoo_registry, odoo_url):
    """Two LTSP servers with terminals, committed so that the in-process HTTP server sees them; removed after."""
    created = []

    def make(name, network="10.77.0.0/24", **vals):
        with odoo_registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            server = env["helpdesk.ltsp.server"].create(
                {
                    "name": f"{name} {uuid.uuid4().hex[:6]}",
                    "network": network,
                    "helpdesk_url": odoo_url,
                    **vals,
                }
            )
            created.append(server.id)
            cr.commit()
            return server.id

    yield make
    with odoo_registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        servers = env["helpdesk.ltsp.server"].with_context(active_test=False).browse(created).exists()
        servers.with_context(active_test=False).terminal_ids.unlink()
        servers.unlink()
        cr.commit()


@pytest.fixture
def ltsp_loader(tmp_path, require_program):
    """Evaluate an ltsp.conf the way LTSP does: source /usr/share/ltsp/ltsp, then its eval_ini (55-config.sh).

    eval_ini evaluates [clients] only on an LTSP client, which it recognises by running as PID 1 (the
    init applet): as a client, the script runs as PID 1 of a new PID namespace (unshare), nothing stubbed.
    As the server, it runs as a plain shell and evaluates [server] instead.
    """
    if not os.path.exists(LTSP_MAIN):
        pytest.fail("LTSP is not installed (/usr/share/ltsp/ltsp): run scripts/setup.sh")
    sh = require_program("sh")

    def load(conf_path, mac, ip="", variables=(), client=True, applet=None):
        prints = "\n".join(f'printf "%s=%s\\n" {v} "${v}"' for v in variables)
        run_hooks = f"_APPLET={applet}\nrun_parameters POST\n" if applet else ""
        script = tmp_path / "load-ltsp-conf.sh"
        script.write_text(
            "DEBUG_LOG=0\n"
            f". {LTSP_MAIN}\n"
            f"MAC_ADDRESS={shlex.quote(mac)}\nIP_ADDRESS={shlex.quote(ip)}\nHOSTNAME=\n"
            f"eval_ini {shlex.quote(str(conf_path))}\n"
            f"{run_hooks}{prints}\n"
        )
        args = [sh, str(script)]
        if client:
            args = [require_program("unshare"), "--pid", "--fork", *args]
        result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, f"LTSP could not load {conf_path}:\n{result.stderr}"
        values = {}
        for line in result.stdout.splitlines():
            key, sep, value = line.partition("=")
            if sep and key in variables:
                values[key] = value
        return values

    return load
