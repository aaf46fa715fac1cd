"""The LTSP server pulls its files and pushes its leases, terminals send heartbeats: all over real HTTP.

Data is committed for the in-process Odoo HTTP server (--odoo-http) and removed by `committed_servers`.
"""

import subprocess
import time

import pytest

from odoo import SUPERUSER_ID, api


def _with_env(registry, func):
    with registry.cursor() as cr:
        result = func(api.Environment(cr, SUPERUSER_ID, {}))
        cr.commit()
        return result


def _curl(require_program, *args):
    """Run curl; return (HTTP status, body)."""
    result = subprocess.run(
        [require_program("curl"), "-sS", "--max-time", "30", "-w", "\n%{http_code}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    body, _sep, status = result.stdout.rpartition("\n")
    return int(status), body.strip()


@pytest.fixture
def two_servers(committed_servers, odoo_registry):
    """Bandung (published, two terminals) and Surabaya (published, one terminal)."""
    bandung_id = committed_servers("LTSP Balai Kota", "10.77.0.0/24", server_ip="10.77.0.1")
    surabaya_id = committed_servers("LTSP Toko Tunjungan", "10.88.0.0/24", server_ip="10.88.0.1")

    def setup(env):
        Terminal = env["helpdesk.ltsp.terminal"]
        Terminal.create(
            [
                {
                    "server_id": bandung_id,
                    "name": "loket-01",
                    "mac_address": "52:54:00:aa:00:01",
                    "ip_mode": "fixed",
                    "ip_address": "10.77.0.21",
                    "location": "Loket 1",
                },
                {"server_id": bandung_id, "name": "loket-02", "mac_address": "52:54:00:aa:00:02"},
                {"server_id": surabaya_id, "name": "kasir-01", "mac_address": "52:54:00:bb:00:01"},
            ]
        )
        servers = env["helpdesk.ltsp.server"].browse([bandung_id, surabaya_id])
        servers.action_publish_config()
        return {s.id: {"config": s.token, "heartbeat": s.heartbeat_token} for s in servers}

    tokens = _with_env(odoo_registry, setup)
    return bandung_id, surabaya_id, tokens


def test_server_pulls_its_published_config(two_servers, odoo_url, odoo_registry, require_program, tmp_path):
    bandung_id, _surabaya_id, tokens = two_servers
    auth = f"Authorization: Bearer {tokens[bandung_id]['config']}"
    target = tmp_path / "ltsp.conf"
    status, _body = _curl(
        require_program, "-H", auth, "-o", str(target), f"{odoo_url}/helpdesk_ltsp/{bandung_id}/ltsp.conf"
    )
    assert status == 200
    published = _with_env(odoo_registry, lambda env: env["helpdesk.ltsp.server"].browse(bandung_id).published_ltsp_conf)
    assert target.read_text() == published
    assert "[52:54:00:aa:00:01]" in published and "52:54:00:bb:00:01" not in published
    assert subprocess.run([require_program("sh"), "-n", str(target)], check=False).returncode == 0

    status, hosts = _curl(require_program, "-H", auth, f"{odoo_url}/helpdesk_ltsp/{bandung_id}/dnsmasq.conf")
    assert status == 200
    assert "dhcp-host=52:54:00:aa:00:01,10.77.0.21,loket-01" in hosts

    # The pull timer asks again with the ETag: nothing changed, so no `ltsp initrd` is needed.
    headers = tmp_path / "headers"
    _curl(
        require_program,
        "-H",
        auth,
        "-D",
        str(headers),
        "-o",
        "/dev/null",
        f"{odoo_url}/helpdesk_ltsp/{bandung_id}/ltsp.conf",
    )
    etag = next(
        line.split(":", 1)[1].strip() for line in headers.read_text().splitlines() if line.lower().startswith("etag:")
    )
    status, body = _curl(
        require_program, "-H", auth, "-H", f"If-None-Match: {etag}", f"{odoo_url}/helpdesk_ltsp/{bandung_id}/ltsp.conf"
    )
    assert (status, body) == (304, "")
    pulled = _with_env(odoo_registry, lambda env: env["helpdesk.ltsp.server"].browse(bandung_id).last_contact_date)
    assert pulled


def test_wrong_token_never_gets_a_configuration(two_servers, odoo_url, require_program):
    bandung_id, surabaya_id, tokens = two_servers
    url = f"{odoo_url}/helpdesk_ltsp/{surabaya_id}/ltsp.conf"
    for headers in (
        [],
        ["-H", "Authorization: Bearer wrong-token"],
        ["-H", f"Authorization: Bearer {tokens[bandung_id]['config']}"],  # another server's token
        ["-H", f"Authorization: Bearer {tokens[surabaya_id]['heartbeat']}"],  # the terminals' token
    ):
        status, body = _curl(require_program, *headers, url)
        assert status == 403
        assert "52:54:00" not in body and "kasir" not in body
    status, _body = _curl(
        require_program,
        "-H",
        f"Authorization: Bearer {tokens[bandung_id]['config']}",
        f"{odoo_url}/helpdesk_ltsp/{surabaya_id}/dnsmasq.conf",
    )
    assert status == 403
    # An unknown server answers exactly like a wrong token: its existence is not revealed.
    status, body = _curl(require_program, "-H", "Authorization: Bearer x", f"{odoo_url}/helpdesk_ltsp/999999/ltsp.conf")
    assert (status, body) == (403, "forbidden")


def test_server_pushes_leases(two_servers, odoo_url, odoo_registry, require_program, tmp_path):
    bandung_id, _surabaya_id, tokens = two_servers
    auth = f"Authorization: Bearer {tokens[bandung_id]['config']}"
    auth = [auth, "-H", "Content-Type: text/plain"]
    url = f"{odoo_url}/helpdesk_ltsp/{bandung_id}/leases"
    expiry = int(time.time()) + 6 * 3600
    leases = tmp_path / "dnsmasq.leases"
    leases.write_text(
        "duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01\n"
        f"{expiry} 52:54:00:aa:00:02 10.77.0.140 loket-02 01:52:54:00:aa:00:02\n"
        f"{expiry} 52:54:00:aa:00:99 10.77.0.141 * *\n"
        f"{expiry} 52:54:00:aa:00:98 10.77.0.142 pc-baru *\n"
    )
    status, body = _curl(require_program, "-H", *auth, "--data-binary", f"@{leases}", url)
    assert (status, body) == (200, "created=2 updated=1")

    def check(env):
        terminals = env["helpdesk.ltsp.terminal"].search([("server_id", "=", bandung_id)])
        by_mac = {t.mac_address: t for t in terminals}
        assert by_mac["52:54:00:aa:00:02"].last_ip == "10.77.0.140"
        assert by_mac["52:54:00:aa:00:02"].last_seen
        assert by_mac["52:54:00:aa:00:99"].state == "draft"
        assert by_mac["52:54:00:aa:00:99"].name == "ltsp-525400aa0099"
        assert by_mac["52:54:00:aa:00:98"].name == "pc-baru"
        return len(terminals)

    assert _with_env(odoo_registry, check) == 4
    # Pushing the same file again duplicates nothing.
    status, body = _curl(require_program, "-H", *auth, "--data-binary", f"@{leases}", url)
    assert (status, body) == (200, "created=0 updated=3")

    # A damaged file: a clear error naming the line, and nothing imported.
    leases.write_text(f"{expiry} 52:54:00:aa:00:77 10.77.0.150 pc-x *\nthis is not a lease\n")
    status, body = _curl(require_program, "-H", *auth, "--data-binary", f"@{leases}", url)
    assert status == 400
    assert "line 2" in body
    assert _with_env(odoo_registry, check) == 4

    status, _body = _curl(require_program, "-H", "Authorization: Bearer nope", "--data-binary", f"@{leases}", url)
    assert status == 403
    # The file can also be sent as a form upload (curl -F leases=@file).
    leases.write_text(f"{expiry} 52:54:00:aa:00:77 10.77.0.150 pc-x *\n")
    status, body = _curl(require_program, "-H", auth[0], "-F", f"leases=@{leases}", url)
    assert (status, body) == (200, "created=1 updated=0")
    # A form-encoded body would mangle the file: refused with the right curl command.
    status, body = _curl(require_program, "-H", auth[0], "--data-binary", f"@{leases}", url)
    assert status == 415 and "text/plain" in body


def test_terminal_heartbeat_from_the_generated_hook(
    two_servers, odoo_url, odoo_registry, require_program, ltsp_loader, tmp_path
):
    """The hook in ltsp.conf, run by LTSP itself after `init` and `session`, updates status and last-seen."""
    bandung_id, _surabaya_id, tokens = two_servers
    conf = tmp_path / "ltsp.conf"
    status, _body = _curl(
        require_program,
        "-H",
        f"Authorization: Bearer {tokens[bandung_id]['config']}",
        "-o",
        str(conf),
        f"{odoo_url}/helpdesk_ltsp/{bandung_id}/ltsp.conf",
    )
    assert status == 200

    def terminal(mac):
        return _with_env(
            odoo_registry,
            lambda env: env["helpdesk.ltsp.terminal"].search_read(
                [("server_id", "=", bandung_id), ("mac_address", "=", mac)],
                ["name", "state", "last_seen", "last_event", "last_ip"],
            ),
        )

    assert terminal("52:54:00:aa:00:01")[0]["last_seen"] is False
    ltsp_loader(conf, "52:54:00:aa:00:01", "10.77.0.21", applet="init")
    booted = terminal("52:54:00:aa:00:01")[0]
    assert booted["last_event"] == "boot" and booted["last_seen"] and booted["last_ip"] == "10.77.0.21"

    ltsp_loader(conf, "52:54:00:aa:00:01", "10.77.0.21", applet="session")
    assert terminal("52:54:00:aa:00:01")[0]["last_event"] == "login"

    # A terminal nobody registered yet says hello: it becomes a draft to review, once.
    for _boot in range(2):
        ltsp_loader(conf, "52:54:00:aa:00:55", "10.77.0.155", applet="init")
    unknown = terminal("52:54:00:aa:00:55")
    assert len(unknown) == 1 and unknown[0]["state"] == "draft" and unknown[0]["last_event"] == "boot"

    url = f"{odoo_url}/helpdesk_ltsp/heartbeat/{bandung_id}"
    status, _body = _curl(
        require_program,
        "-H",
        f"Authorization: Bearer {tokens[bandung_id]['config']}x",
        "--data",
        "mac=52:54:00:aa:00:02&event=boot",
        url,
    )
    assert status == 403
    assert terminal("52:54:00:aa:00:02")[0]["last_seen"] is False
    status, body = _curl(
        require_program,
        "-H",
        f"Authorization: Bearer {tokens[bandung_id]['heartbeat']}",
        "--data",
        "mac=not-a-mac&event=boot",
        url,
    )
    assert status == 400 and "not a MAC address" in body
