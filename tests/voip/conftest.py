"""Fixtures of the VoIP end-to-end tests: a real Kamailio writing its accounting to a
temporary PostgreSQL database, real baresip softphones, and Odoo data committed for
the in-process HTTP server (removed afterwards).
"""
import secrets
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from e2e_support import free_port, free_udp_port_block, wait_for

from odoo import SUPERUSER_ID, api

KAMAILIO_SCHEMA = Path("/usr/share/kamailio/postgres")
KAMAILIO_ROLE = "hd_voip_kamailio"
HERE = Path(__file__).resolve().parent
BRIDGE = HERE.parent.parent / "helpdesk_voip" / "bridge" / "baresip_bridge.py"
# The acc module writes these extra columns (db_extra / cdr_extra of kamailio.cfg.tmpl).
EXTRA_COLUMNS = """
    ALTER TABLE acc ADD COLUMN src_user varchar(64) NOT NULL DEFAULT '',
                    ADD COLUMN dst_user varchar(64) NOT NULL DEFAULT '';
    ALTER TABLE missed_calls ADD COLUMN src_user varchar(64) NOT NULL DEFAULT '',
                             ADD COLUMN dst_user varchar(64) NOT NULL DEFAULT '';
    ALTER TABLE acc_cdrs ADD COLUMN callid varchar(255) NOT NULL DEFAULT '',
                         ADD COLUMN src_user varchar(64) NOT NULL DEFAULT '',
                         ADD COLUMN dst_user varchar(64) NOT NULL DEFAULT '';
"""


def psql(dbname, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbname], input=sql, text=True, check=True,
                   capture_output=True)


@pytest.fixture
def kamailio_db():
    """A temporary database with Kamailio's schema and a password role, as in production."""
    name = f"hd_voip_kam_{uuid.uuid4().hex[:8]}"
    password = secrets.token_hex(12)
    subprocess.run(["createdb", name], check=True)
    try:
        schema = "".join((KAMAILIO_SCHEMA / f).read_text() for f in
                         ("standard-create.sql", "acc-create.sql", "dialog-create.sql"))
        psql(name, schema + EXTRA_COLUMNS)
        psql("postgres", f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{KAMAILIO_ROLE}') THEN
                CREATE ROLE {KAMAILIO_ROLE} LOGIN;
              END IF;
            END $$;
            ALTER ROLE {KAMAILIO_ROLE} PASSWORD '{password}';
        """)
        psql(name, f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {KAMAILIO_ROLE};"
                   f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {KAMAILIO_ROLE};")
        yield {
            "name": name,
            "kamailio_url": f"postgres://{KAMAILIO_ROLE}:{password}@127.0.0.1/{name}",
            "dsn": f"postgresql://{KAMAILIO_ROLE}:{password}@127.0.0.1/{name}",
        }
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=False)


def sip_options_ok(port):
    """Kamailio answers a SIP OPTIONS on its UDP port."""
    call_id = uuid.uuid4().hex
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        sock.bind(("127.0.0.1", 0))
        local_port = sock.getsockname()[1]
        message = (
            f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};rport;branch=z9hG4bK{call_id[:10]}\r\n"
            "Max-Forwards: 5\r\nFrom: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )
        sock.sendto(message.encode(), ("127.0.0.1", port))
        try:
            return sock.recv(4096).startswith(b"SIP/2.0 200")
        except OSError:
            return False


@pytest.fixture
def kamailio(kamailio_db, start_program, tmp_path):
    port = free_udp_port_block()
    config = (HERE / "kamailio.cfg.tmpl").read_text()
    for key, value in {
        "SIP_PORT": port, "RUN_DIR": tmp_path, "DB_URL": kamailio_db["kamailio_url"], "INVITE_TIMEOUT_MS": 15000,
    }.items():
        config = config.replace(f"@{key}@", str(value))
    cfg = tmp_path / "kamailio.cfg"
    cfg.write_text(config)
    program = start_program(
        ["kamailio", "-DD", "-E", "-f", str(cfg), "-P", str(tmp_path / "kamailio.pid"), "-Y", str(tmp_path)],
        name="kamailio",
    )
    wait_for(lambda: not program.alive() or sip_options_ok(port), timeout=15, message="Kamailio to answer OPTIONS")
    assert program.alive(), program.log()
    return {"port": port, "program": program, "db": kamailio_db}


class Softphone:
    """A baresip instance: SIP on 127.0.0.1, no sound card, ctrl_tcp for commands."""

    def __init__(self, program, aor, control_port, config_dir):
        self.program = program
        self.aor = aor
        self.control_port = control_port
        self.control_url = f"tcp://127.0.0.1:{control_port}"
        self.config_dir = config_dir

    def log(self):
        return self.program.log()

    def command(self, command, params=None, timeout=5):
        """Send one ctrl_tcp command on a short connection; return its response."""
        from odoo.addons.helpdesk_voip.tools.baresip_ctrl import NetstringReader, netstring

        payload = {"command": command, "token": "test"}
        if params:
            payload["params"] = params
        with socket.create_connection(("127.0.0.1", self.control_port), timeout=timeout) as sock:
            sock.sendall(netstring(payload))
            reader = NetstringReader()
            while True:
                data = sock.recv(65536)
                if not data:
                    pytest.fail(f"baresip closed the control connection before answering {command}")
                for message in reader.feed(data):
                    if message.get("response") and message.get("token") == "test":
                        return message


@pytest.fixture
def softphone(kamailio, start_program, tmp_path):
    """softphone(user, answermode='manual') -> Softphone registered on the test Kamailio."""
    def start(user, answermode="manual"):
        sip_port = free_udp_port_block(2)
        control_port = free_port()
        config_dir = tmp_path / f"baresip-{user.lstrip('+')}"
        config_dir.mkdir()
        (config_dir / "config").write_text(f"""
poll_method epoll
sip_listen 127.0.0.1:{sip_port}
sip_transports udp
net_interface 127.0.0.1
rtp_ports {sip_port + 2}-{sip_port + 8}
audio_player aubridge,null-{user}
audio_alert aubridge,null-{user}
audio_source ausine,440
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 1
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{control_port}
""")
        aor = f"sip:{user}@127.0.0.1:{kamailio['port']}"
        (config_dir / "accounts").write_text(
            f"<{aor};transport=udp>;regint=300;answermode={answermode};audio_codecs=PCMU\n"
        )
        (config_dir / "contacts").write_text("")
        program = start_program(["baresip", "-f", str(config_dir)], name=f"baresip-{user.lstrip('+')}")
        phone = Softphone(program, aor, control_port, config_dir)
        wait_for(lambda: not program.alive() or "[1 binding]" in program.log(), timeout=15,
                 message=f"baresip {user} to register")
        assert program.alive(), program.log()
        return phone

    return start


@pytest.fixture
def bridge(start_program, tmp_path, odoo_url):
    """bridge(softphone, extension, pbx_id, token): the relay of softphone events to Odoo."""
    def start(phone, extension, pbx_id, token):
        token_file = tmp_path / f"token-{extension}"
        token_file.write_text(token)
        program = start_program([
            "/opt/odoo-venv/bin/python", str(BRIDGE), "--control", phone.control_url, "--extension", extension,
            "--odoo", f"{odoo_url}/helpdesk_voip/softphone/{pbx_id}", "--token-file", str(token_file),
        ], name=f"bridge-{extension}")
        wait_for(lambda: "connected to" in program.log(), timeout=10, message="the bridge to connect")
        return program

    return start


@pytest.fixture
def committed(odoo_registry):
    """Run a function in its own committed transaction: what the HTTP server and the cron see."""
    def run(function):
        with odoo_registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = function(env)
            cr.commit()
            return result

    return run


@pytest.fixture
def voip_setup(committed, kamailio):
    """A Kamailio PBX in Odoo and the demo agents' extensions; everything restored afterwards."""
    def prepare(env):
        pbx = env["helpdesk.voip.pbx"].create({
            "name": "Kamailio e2e",
            "kind": "kamailio",
            "dsn": kamailio["db"]["dsn"],
            "team_id": env.ref("helpdesk_ticketing.team_service_desk").id,
        })
        users = {key: env.ref(f"helpdesk_ticketing.{key}") for key in ("user_agent", "user_agent_dewi")}
        saved = {key: (user.sip_extension, user.softphone_control_url) for key, user in users.items()}
        last_call = env["helpdesk.voip.call"].search([], order="id desc", limit=1)
        return {"pbx_id": pbx.id, "token": pbx.token, "saved": saved, "last_call_id": last_call.id or 0,
                "users": {key: user.id for key, user in users.items()}}

    data = committed(prepare)
    data["bus_start"] = committed(lambda env: env["bus.bus"].search([], order="id desc", limit=1).id or 0)
    yield data

    def cleanup(env):
        calls = env["helpdesk.voip.call"].with_context(active_test=False).search(
            ["|", ("pbx_id", "=", data["pbx_id"]), ("id", ">", data["last_call_id"])]
        )
        env["mail.activity"].search([("res_model", "=", "helpdesk.voip.call"), ("res_id", "in", calls.ids)]).unlink()
        calls.unlink()
        env["helpdesk.voip.pbx"].browse(data["pbx_id"]).unlink()
        for key, (extension, url) in data["saved"].items():
            env.ref(f"helpdesk_ticketing.{key}").write({"sip_extension": extension, "softphone_control_url": url})

    committed(cleanup)

