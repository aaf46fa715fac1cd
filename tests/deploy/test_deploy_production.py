"""The production set-up (deploy/): nginx in front of Odoo in prefork mode, as a service desk runs it.

Through nginx only: agents log in with the web client's login form, open the bus websocket like the
web client's worker, and the caller pop-up a PBX triggers reaches the agent whose extension rings,
and only them. The prefork master replaces a worker killed with SIGKILL; the cron worker runs jobs.
"""
import json
import os
import re
import signal

import requests
import websocket
from e2e_support import wait_for
from hd_deploy_support import process_running

from odoo.addons.bus.websocket import WebsocketConnectionHandler

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(url, login_name, password):
    """The web client's login form, through nginx; returns the session's requests.Session."""
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    page.raise_for_status()
    response = session.post(f"{url}/web/login", timeout=30, data={
        "login": login_name, "password": password, "csrf_token": CSRF.search(page.text).group(1),
        "redirect": "/odoo",
    })
    response.raise_for_status()
    info = session.post(f"{url}/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}},
                        timeout=30).json()["result"]
    assert info["username"] == login_name, info
    return session


def open_bus(url, session, last):
    """The bus websocket of the web client's worker (bus/static/src/workers/websocket_worker.js), through
    nginx: same URL, origin and session cookie, then the "subscribe" event with the last notification."""
    ws = websocket.create_connection(
        f"{url.replace('http', 'ws', 1)}/websocket?version={WebsocketConnectionHandler._VERSION}",
        cookie=f"session_id={session.cookies['session_id']}", origin=url, timeout=30,
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


def ring(url, pbx, call_id, caller, extension):
    response = requests.post(f"{url}/helpdesk_voip/webhook/{pbx['id']}", timeout=30, json={
        "event": "ringing", "call_id": call_id, "from": caller, "to": extension, "direction": "inbound",
    }, headers={"Authorization": f"Bearer {pbx['token']}"})
    assert response.status_code == 200, response.text


def test_caller_popup_reaches_only_the_ringing_agent_through_nginx(production, webhook_pbx, committed):
    url = production.url
    health = requests.get(f"{url}/web/health", timeout=30)
    assert (health.status_code, health.json()["status"]) == (200, "pass")

    last = committed(lambda env: env["bus.bus"].sudo()._bus_last_id())
    siti_phone = committed(lambda env: env.ref("helpdesk_ticketing.partner_siti").phone)
    budi = login(url, "agent", "agent")
    dewi = login(url, "dewi", "dewi")
    budi_ws, dewi_ws = open_bus(url, budi, last), open_bus(url, dewi, last)
    try:
        # A customer calls Budi's extension (1001), then another caller Dewi's (1002).
        ring(url, webhook_pbx, "deploy-call-budi", siti_phone, "1001")
        ring(url, webhook_pbx, "deploy-call-dewi", "+62 811 9999 0000", "1002")

        budi_popups = [m["payload"] for m in receive_until(
            budi_ws, "helpdesk_voip/incoming_call", lambda p: p["call_id"] == "deploy-call-budi",
        ) if m["type"] == "helpdesk_voip/incoming_call"]
        assert budi_popups[-1]["partner_name"] == "Siti Rahmawati"
        assert budi_popups[-1]["number"]
        # Notifications arrive in order: when Dewi has her pop-up, Budi's would have come before.
        dewi_popups = [m["payload"]["call_id"] for m in receive_until(
            dewi_ws, "helpdesk_voip/incoming_call", lambda p: p["call_id"] == "deploy-call-dewi",
        ) if m["type"] == "helpdesk_voip/incoming_call"]
        assert dewi_popups == ["deploy-call-dewi"], "Dewi's window showed someone else's caller"
        assert "deploy-call-dewi" not in [p["call_id"] for p in budi_popups]
    finally:
        budi_ws.close()
        dewi_ws.close()


def test_prefork_master_replaces_a_killed_worker_and_runs_crons(production, committed):
    url = production.url
    budi = login(url, "agent", "agent")
    workers = wait_for(lambda: len(production.workers()) == 2 and production.workers(),
                       timeout=30, message="two HTTP workers")
    killed = sorted(workers)[0]
    os.kill(killed, signal.SIGKILL)
    wait_for(lambda: not process_running(killed), message="the killed worker to be gone")
    replaced = wait_for(lambda: len(production.workers()) == 2 and production.workers(),
                        timeout=30, message="the prefork master to start a new HTTP worker")
    assert killed not in replaced
    # Agents keep working: their session and the health check answer through nginx.
    for _attempt in range(4):
        assert requests.get(f"{url}/web/health", timeout=30).status_code == 200
        info = budi.post(f"{url}/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}},
                         timeout=30).json()["result"]
        assert info["username"] == "agent"

    # The cron worker runs a job as soon as it is triggered.
    assert production.workers("WorkerCron"), "no cron worker"

    def trigger(env):
        cron = env.ref("mail.ir_cron_post_scheduled_message")
        cron._trigger()
        return cron.id, cron.lastcall

    cron_id, lastcall = committed(trigger)
    wait_for(lambda: committed(lambda env: env["ir.cron"].browse(cron_id).lastcall) != lastcall,
             timeout=30, message="the cron worker to run the triggered job")
