"""The generated ltsp.conf and dnsmasq hosts are checked by the real programs that will read them."""

import subprocess

import pytest

from odoo.exceptions import ValidationError

ROUND_TRIP_VALUES = {
    "X_MODES": '"1366x768" "1024x768" "800x600"',
    "PWMERGE_SUR": ".*%{HOSTNAME#pc}",
    "LOCAL_APPS": "firefox-esr libreoffice; echo & | * ? ( ) < > #",
    "CRONTAB_SHUTDOWN": "30 17   * * *   root    poweroff",
}


@pytest.fixture
def bandung(odoo_env):
    """A full-DHCP server with fixed, dynamic, maintenance and draft terminals (rolled back after the test)."""
    env = odoo_env
    server = env["helpdesk.ltsp.server"].create(
        {
            "name": "LTSP Kecamatan Coblong",
            "network": "10.77.0.0/24",
            "server_ip": "10.77.0.1",
            "helpdesk_url": "http://127.0.0.1:8069",
            "parameter_ids": [
                (0, 0, {"section": "clients", "key": key, "value": value}) for key, value in ROUND_TRIP_VALUES.items()
            ]
            + [
                (0, 0, {"section": "common", "key": "TIMEZONE", "value": "Asia/Jakarta"}),
                (0, 0, {"section": "server", "key": "NAT", "value": "1"}),
            ],
        }
    )
    Terminal = env["helpdesk.ltsp.terminal"]
    terminals = Terminal.create(
        [
            {
                "server_id": server.id,
                "name": "Loket-01",
                "mac_address": "52-54-00-AA-00-01",
                "ip_mode": "fixed",
                "ip_address": "10.77.0.21",
                "location": "Loket 1\nLantai 1 (baris baru)",
                "parameter_ids": [(0, 0, {"key": "autologin", "value": "loket01"})],
            },
            {"server_id": server.id, "name": "loket-02", "mac_address": "5254.00aa.0002", "location": "Loket 2"},
            {
                "server_id": server.id,
                "name": "lab-01",
                "mac_address": "525400aa0003",
                "state": "maintenance",
                "parameter_ids": [(0, 0, {"key": "X_MODES", "value": '"1024x768"'})],
            },
            {"server_id": server.id, "name": "ltsp-525400aa0004", "mac_address": "52:54:00:aa:00:04", "state": "draft"},
        ]
    )
    return server, terminals


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False, **kwargs)


def _dnsmasq_test(require_program, tmp_path, content):
    """`dnsmasq --test` on the generated hosts, included from a conf that binds nothing but 127.0.0.1."""
    dnsmasq = require_program("dnsmasq")
    hosts = tmp_path / "ltsp-helpdesk.conf"
    hosts.write_text(content)
    main = tmp_path / "dnsmasq.conf"
    main.write_text(
        "port=0\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\n"
        "dhcp-range=10.77.0.20,10.77.0.250,12h\n"
        f"conf-file={hosts}\n"
    )
    return _run([dnsmasq, "--test", f"--conf-file={main}"])


def test_dnsmasq_accepts_generated_hosts(odoo_env, bandung, require_program, tmp_path):
    server, terminals = bandung
    content = server._render_dnsmasq_conf()
    assert "dhcp-host=52:54:00:aa:00:01,10.77.0.21,loket-01" in content
    assert "dhcp-host=52:54:00:aa:00:02,loket-02" in content
    assert "52:54:00:aa:00:04" not in content, "a draft terminal is not configured before review"
    result = _dnsmasq_test(require_program, tmp_path, content)
    assert result.returncode == 0, result.stderr
    assert "syntax check OK" in (result.stdout + result.stderr)


def test_dnsmasq_check_is_meaningful(require_program, tmp_path):
    """The same check fails on a broken dhcp-host line, so a passing check means something."""
    result = _dnsmasq_test(require_program, tmp_path, "dhcp-host=52:54:00:aa:00:01,10.77.0.21,pc 01\n")
    assert result.returncode != 0


def test_dnsmasq_accepts_proxy_mode(odoo_env, bandung, require_program, tmp_path):
    server, terminals = bandung
    server.dhcp_mode = "proxy"
    content = server._render_dnsmasq_conf()
    assert "dhcp-host=" not in content, "in proxyDHCP mode dnsmasq does not hand out addresses"
    assert "52:54:00:aa:00:01 10.77.0.21 loket-01" in content
    result = _dnsmasq_test(require_program, tmp_path, content)
    assert result.returncode == 0, result.stderr


def test_ltsp_conf_passes_sh_n(odoo_env, bandung, require_program, tmp_path):
    server, terminals = bandung
    conf = tmp_path / "ltsp.conf"
    conf.write_text(server._render_ltsp_conf())
    result = _run([require_program("sh"), "-n", str(conf)])
    assert result.returncode == 0, result.stderr
    text = conf.read_text()
    for section in ("[server]", "[common]", "[clients]", "[52:54:00:aa:00:01]", "[52:54:00:aa:00:03]"):
        assert section in text
    assert "[52:54:00:aa:00:04]" not in text


def test_ltsp_loader_reads_every_terminal(odoo_env, bandung, ltsp_loader, tmp_path):
    """LTSP's own loader (eval_ini of 55-config.sh) gives each terminal its hostname and parameters."""
    server, terminals = bandung
    conf = tmp_path / "ltsp.conf"
    conf.write_text(server._render_ltsp_conf())
    names = ["HOSTNAME", "AUTOLOGIN", "TIMEZONE", "NAT", *ROUND_TRIP_VALUES]
    loket = ltsp_loader(conf, "52:54:00:aa:00:01", "10.77.0.21", names)
    assert loket["HOSTNAME"] == "loket-01"
    assert loket["AUTOLOGIN"] == "loket01"
    assert loket["TIMEZONE"] == "Asia/Jakarta"
    assert loket["NAT"] == "", "[server] is not evaluated on clients"
    for key, value in ROUND_TRIP_VALUES.items():
        assert loket[key] == value, f"{key} must reach LTSP unchanged"
    lab = ltsp_loader(conf, "52:54:00:aa:00:03", "10.77.0.99", ["HOSTNAME", "X_MODES", "AUTOLOGIN"])
    assert lab == {"HOSTNAME": "lab-01", "X_MODES": '"1024x768"', "AUTOLOGIN": ""}, "per-terminal value wins"
    unknown = ltsp_loader(conf, "52:54:00:aa:00:04", "10.77.0.140", ["HOSTNAME", "X_MODES"])
    assert unknown["HOSTNAME"] == "", "a draft terminal boots with LTSP's defaults"
    assert unknown["X_MODES"] == ROUND_TRIP_VALUES["X_MODES"]
    on_server = ltsp_loader(conf, "52:54:00:00:00:01", "10.77.0.1", ["NAT", "TIMEZONE", "X_MODES"], client=False)
    assert on_server == {"NAT": "1", "TIMEZONE": "Asia/Jakarta", "X_MODES": ""}, "the server reads [server], [common]"


@pytest.mark.parametrize(
    "value, message",
    [
        ("user'01", "single quotes"),
        ("$(reboot)", "“$”"),
        ("`reboot`", "backquotes"),
        ('"1024x768', "not balanced"),
        ("line one\nline two", "one line"),
        (" user01", "no spaces around"),
    ],
)
def test_values_that_would_break_ltsp_conf_are_refused(odoo_env, bandung, value, message):
    server, terminals = bandung
    with pytest.raises(ValidationError) as error:
        terminals[1].write({"parameter_ids": [(0, 0, {"key": "AUTOLOGIN", "value": value})]})
    assert message in error.value.args[0]


@pytest.mark.parametrize("key", ["AUTOLOGIN ", "AUTO LOGIN", "AUTOLOGIN=x", "1X_MODES", "X-MODES"])
def test_parameter_names_that_ltsp_cannot_read_are_refused(odoo_env, bandung, key):
    server, terminals = bandung
    with pytest.raises(ValidationError):
        terminals[1].write({"parameter_ids": [(0, 0, {"key": key, "value": "loket02"})]})
