"""The production set-up (deploy/): nginx in front of Odoo in prefork mode, as a service desk runs it.

Through nginx only: agents log in with the web client's login form, open the bus websocket like the
web client's worker, and the caller pop-up a PBX triggers reaches the agent whose extension rings,
and only them. The prefork master replaces a worker killed with SIGKILL; the cron worker runs jobs.
"""

import json
import os
import secrets
import signal
import subprocess

import requests
import websocket
from e2e_support import wait_for
from hd_deploy_support import CSRF, login, process_running

from odoo.addons.bus.websocket import WebsocketConnectionHandler


def open_bus(url, session, last):
    """The bus websocket of the web client's worker (bus/static/src/workers/websocket_worker.js), through
    nginx: same URL, origin and session cookie, then the "subscribe" event with the last notification."""
    ws = websocket.create_connection(
        f"{url.replace('http', 'ws', 1)}/websocket?version={WebsocketConnectionHandler._VERSION}",
        cookie=f"session_id={session.cookies['session_id']}",
        origin=url,
        timeout=30,
    )
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": last}}))
    return ws


def receive_until(ws, notification_type, payload_test):
    """Notifications read from the websocket up to the first of that type passing payload_test."""
    received = []
    while True:
        for notification in json.loads(ws.recv()):
            message = notification["message"]
            received.append(message)
            if message["type"] == notification_type and payload_test(message["payload"]):
                return received


def popups_until(ws, call_id):
    """The caller pop-ups a window receives, until the one of call_id."""
    return [
        m["payload"]
        for m in receive_until(ws, "helpdesk_voip/incoming_call", lambda p: p["call_id"] == call_id)
        if m["type"] == "helpdesk_voip/incoming_call"
    ]


def ring(url, pbx, call_id, caller, extension):
    response = requests.post(
        f"{url}/helpdesk_voip/webhook/{pbx['id']}",
        timeout=30,
        json={
            "event": "ringing",
            "call_id": call_id,
            "from": caller,
            "to": extension,
            "direction": "inbound",
        },
        headers={"Authorization": f"Bearer {pbx['token']}"},
    )
    assert response.status_code == 200, response.text


def test_caller_popup_reaches_only_the_ringing_agent_through_nginx(production, webhook_pbx, committed_env):
    url = production.url
    health = requests.get(f"{url}/web/health", timeout=30)
    assert (health.status_code, health.json()["status"]) == (200, "pass")

    last = committed_env(lambda env: env["bus.bus"].sudo()._bus_last_id())
    siti_phone = committed_env(lambda env: env.ref("helpdesk_ticketing.partner_siti").phone)
    budi = login(url, "agent", "agent")
    dewi = login(url, "dewi", "dewi")
    budi_ws, dewi_ws = open_bus(url, budi, last), open_bus(url, dewi, last)
    try:
        # A customer calls Budi's extension (1001), then another caller Dewi's (1002).
        ring(url, webhook_pbx, "deploy-call-budi", siti_phone, "1001")
        ring(url, webhook_pbx, "deploy-call-dewi", "+62 811 9999 0000", "1002")

        budi_popups = popups_until(budi_ws, "deploy-call-budi")
        assert budi_popups[-1]["partner_name"] == "Siti Rahmawati"
        assert budi_popups[-1]["number"]
        # Notifications arrive in order: when Dewi has her pop-up, Budi's would have come before.
        dewi_popups = [p["call_id"] for p in popups_until(dewi_ws, "deploy-call-dewi")]
        assert dewi_popups == ["deploy-call-dewi"], "Dewi's window showed someone else's caller"
        assert "deploy-call-dewi" not in [p["call_id"] for p in budi_popups]
    finally:
        budi_ws.close()
        dewi_ws.close()


def test_prefork_master_replaces_a_killed_worker_and_runs_crons(production, committed_env):
    url = production.url
    (node,) = production.nodes
    budi = login(url, "agent", "agent")
    workers = wait_for(lambda: len(node.workers()) == 2 and node.workers(), timeout=30, message="two HTTP workers")
    killed = sorted(workers)[0]
    os.kill(killed, signal.SIGKILL)
    wait_for(lambda: not process_running(killed), message="the killed worker to be gone")
    replaced = wait_for(
        lambda: len(node.workers()) == 2 and node.workers(),
        timeout=30,
        message="the prefork master to start a new HTTP worker",
    )
    assert killed not in replaced
    # Agents keep working: their session and the health check answer through nginx.
    for _attempt in range(4):
        assert requests.get(f"{url}/web/health", timeout=30).status_code == 200
        info = budi.post(
            f"{url}/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}}, timeout=30
        ).json()["result"]
        assert info["username"] == "agent"

    # The cron worker runs a job as soon as it is triggered.
    assert node.workers("WorkerCron"), "no cron worker"

    def trigger(env):
        cron = env.ref("mail.ir_cron_post_scheduled_message")
        cron._trigger()
        return cron.id, cron.lastcall

    cron_id, lastcall = committed_env(trigger)
    wait_for(
        lambda: committed_env(lambda env: env["ir.cron"].browse(cron_id).lastcall) != lastcall,
        timeout=30,
        message="the cron worker to run the triggered job",
    )


def test_scaled_out_popup_crosses_nodes_and_portal_reads_replica(
    portal_tickets, scaled_out, webhook_pbx, committed_env
):
    url = scaled_out.url
    ports = {n: (scaled_out.ready[f"NODE{n}_HTTP_PORT"], scaled_out.ready[f"NODE{n}_GEVENT_PORT"]) for n in (1, 2)}
    last = committed_env(lambda env: env["bus.bus"].sudo()._bus_last_id())
    siti_phone = committed_env(lambda env: env.ref("helpdesk_ticketing.partner_siti").phone)
    budi, dewi = login(url, "agent", "agent"), login(url, "dewi", "dewi")
    # nginx hands websockets to the nodes' gevent processes in turn: each agent has a window on each
    # node, so one of them is on the other node than the one taking the PBX's request.
    budi_ws = [open_bus(url, budi, last), open_bus(url, budi, last)]
    dewi_ws = [open_bus(url, dewi, last), open_bus(url, dewi, last)]
    try:
        ring(url, webhook_pbx, "deploy-scaled-budi", siti_phone, "1001")
        ring(url, webhook_pbx, "deploy-scaled-dewi", "+62 811 9999 0000", "1002")
        for ws in budi_ws:
            assert popups_until(ws, "deploy-scaled-budi")[-1]["partner_name"] == "Siti Rahmawati"
        for ws in dewi_ws:
            popups = [p["call_id"] for p in popups_until(ws, "deploy-scaled-dewi")]
            assert popups == ["deploy-scaled-dewi"], "Dewi's window showed someone else's caller"
    finally:
        for ws in budi_ws + dewi_ws:
            ws.close()
    access_log = scaled_out.run_dir / "nginx-access.log"
    access = wait_for(
        lambda: (log := access_log.read_text()).count("GET /websocket") == 4 and log,
        message="nginx to log the closed websockets",
    )
    websockets = [line for line in access.splitlines() if "GET /websocket" in line]
    for node, (_http, gevent) in ports.items():
        assert sum(f"127.0.0.1:{gevent} " in line for line in websockets) == 2, (node, websockets)
    webhooks = [line for line in access.splitlines() if "/helpdesk_voip/webhook/" in line]
    assert {port for line in webhooks for port, _g in ports.values() if f"127.0.0.1:{port} " in line}

    # A customer's ticket pages: the replica serves them, except the first page of a ticket just
    # created, which reads the primary: the customer sees it even while the replica lags behind.
    replica = [
        "psql",
        "-h",
        scaled_out.ready["REPLICA_HOST"],
        "-p",
        scaled_out.ready["REPLICA_PORT"],
        "-d",
        "postgres",
        "-tAc",
    ]
    assert (
        subprocess.run(
            [*replica, "SELECT pg_is_in_recovery()"], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "t"
    )
    customer = login(url, "customer", "customer")
    subject = portal_tickets(f"Printer kasir macet {secrets.token_hex(3)}")
    subprocess.run([*replica, "SELECT pg_wal_replay_pause()"], check=True, capture_output=True)
    try:
        form = customer.get(f"{url}/my/tickets/new", timeout=30)
        created = customer.post(
            f"{url}/my/tickets/new",
            timeout=30,
            data={
                "name": subject,
                "csrf_token": CSRF.search(form.text).group(1),
            },
        )
        assert created.status_code == 200 and "/my/tickets/" in created.url and subject in created.text
        assert subject not in customer.get(f"{url}/my/tickets", timeout=30).text, "the list is read on the replica"
    finally:
        subprocess.run([*replica, "SELECT pg_wal_replay_resume()"], check=True, capture_output=True)
