"""deploy/start.sh with HELPDESK_CHANNELS=1: the channels wired as on a server, everything on loopback.

An SMS reaching gammu-smsd's (dummy) modem becomes a ticket through its RunOnReceive hook and nginx,
with Odoo's cron postponed; a call ringing on the agent's baresip softphone reaches Odoo through the
bridge and nginx.
"""

import secrets
import socket

import psycopg2
import pytest
from e2e_support import free_port, free_udp_port_block, wait_for
from hd_deploy_support import start_production, stop_production
from hd_sms_support import SOCKET, Modem

from odoo.addons.helpdesk_voip.tools.baresip_ctrl import NetstringReader, netstring
from odoo.tests.common import get_db_name

CALLER = "+6281277770001"
SMS_SENDER = "+6281277770002"


@pytest.fixture
def with_channels(quiet_crons, start_program, tmp_path, committed_env):
    smsd_db = f"{get_db_name()}_smsd_{secrets.token_hex(3)}"

    def remember(env):
        agent = env.ref("helpdesk_ticketing.user_agent")
        marks = {model: env[model].search([], order="id desc", limit=1).id
                 for model in ("helpdesk.ticket", "res.partner", "helpdesk.voip.call")}
        return marks, agent.sip_extension, agent.softphone_control_url

    marks, extension, control_url = committed_env(remember)
    production = start_production(start_program, tmp_path / "run", HELPDESK_NODES="1", HELPDESK_CHANNELS="1",
                                  HELPDESK_SMSD_DB=smsd_db, HELPDESK_EXTENSION="1001")
    yield production
    stop_production(production)

    def cleanup(env):
        gateway = env["helpdesk.sms.gateway"].browse(int(production.ready["GATEWAY_ID"]))
        pbx = env["helpdesk.voip.pbx"].browse(int(production.ready["PBX_ID"]))
        calls = env["helpdesk.voip.call"].with_context(active_test=False).search(
            [("id", ">", marks["helpdesk.voip.call"])])
        env["mail.activity"].search([("res_model", "=", "helpdesk.voip.call"), ("res_id", "in", calls.ids)]).unlink()
        calls.unlink()
        env["helpdesk.ticket"].with_context(active_test=False).search([("id", ">", marks["helpdesk.ticket"])]).unlink()
        gateway.message_ids.unlink()
        env["sms.sms"].search([("gammu_gateway_id", "=", gateway.id)]).unlink()
        gateway.unlink()
        pbx.unlink()
        env["res.partner"].with_context(active_test=False).search([("id", ">", marks["res.partner"])]).unlink()
        env.ref("helpdesk_ticketing.user_agent").write(
            {"sip_extension": extension, "softphone_control_url": control_url})

    committed_env(cleanup)
    admin = psycopg2.connect(host=SOCKET, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{smsd_db}" WITH (FORCE)')
    admin.close()


def ctrl(port, command, params=None):
    """One baresip ctrl_tcp command; its response."""
    payload = {"command": command, "token": "t", **({"params": params} if params else {})}
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(netstring(payload))
        reader = NetstringReader()
        while data := sock.recv(65536):
            for message in reader.feed(data):
                if message.get("response"):
                    return message
    raise AssertionError(f"baresip closed the control connection before answering {command}")


def caller_softphone(start_program, folder):
    """A second baresip, the customer's phone, calling straight to the agent's softphone."""
    sip_port, control_port = free_udp_port_block(), free_port()
    folder.mkdir()
    (folder / "config").write_text(f"""poll_method epoll
sip_listen 127.0.0.1:{sip_port}
sip_transports udp
net_interface 127.0.0.1
audio_player aubridge,null-caller
audio_alert aubridge,null-caller
audio_source ausine,440
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{control_port}
""")
    (folder / "accounts").write_text(f"<sip:{CALLER}@127.0.0.1:{sip_port};transport=udp>;regint=0;audio_codecs=PCMU\n")
    (folder / "contacts").write_text("")
    program = start_program(["baresip", "-f", str(folder)], name="baresip-caller")

    def listening():
        try:
            socket.create_connection(("127.0.0.1", control_port), timeout=1).close()
            return True
        except OSError:
            return not program.alive()

    wait_for(listening, timeout=15, message="the caller's baresip to listen")
    assert program.alive(), program.log()
    return control_port


def test_sms_and_calls_reach_odoo_through_the_loopback_wiring(with_channels, start_program, tmp_path, committed_env):
    ready = with_channels.ready
    gateway_id, pbx_id = int(ready["GATEWAY_ID"]), int(ready["PBX_ID"])

    # An SMS arrives at the modem: gammu-smsd stores it and RunOnReceive asks Odoo through nginx.
    (tmp_path / "sms").mkdir()
    Modem(tmp_path / "sms", ready["SMSD_CONFIG"]).deliver(SMS_SENDER, ["Printer kasir cabang Dago macet lagi"])

    def ticket_of_sms(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway_id)])
        return sms.ticket_id.name if sms else None

    name = wait_for(lambda: committed_env(ticket_of_sms), timeout=60, message="the SMS to become a ticket")
    assert "Printer kasir cabang Dago macet lagi" in name
    access_log = with_channels.run_dir / "nginx-access.log"
    # nginx logs a request once it is answered, just after the import committed.
    wait_for(lambda: f"POST /helpdesk_sms/gateway/{gateway_id}/received" in access_log.read_text(),
             message="nginx to log the RunOnReceive call")

    # The customer calls the agent's softphone: the bridge reports the ringing call to Odoo.
    caller_control = caller_softphone(start_program, tmp_path / "caller")
    assert ctrl(caller_control, "dial", ready["SOFTPHONE_URI"])["ok"]

    def call_logged(env):
        calls = env["helpdesk.voip.call"].search([("pbx_id", "=", pbx_id)])
        return [(call.caller_number or "", call.user_id.login) for call in calls]

    calls = wait_for(lambda: committed_env(call_logged), timeout=30, message="the bridge to report the call")
    assert any(CALLER.lstrip("+") in caller and login == "agent" for caller, login in calls), calls
    ctrl(caller_control, "hangup")
    wait_for(lambda: f"POST /helpdesk_voip/softphone/{pbx_id}" in access_log.read_text(),
             message="nginx to log the bridge's call")
