"""Locust scenario of bench/load.sh: what agents, portal customers, the SMS modems and the PBX send.

Agents work in the web client (JSON-RPC as the list view, the form, the chatter and Take Next send it),
customers in the portal (list, ticket page, chatter reply, new ticket form); on ours only, SMS arrive in
gammu's inbox at 20/s and each modem's gammu-smsd calls RunOnReceive after receiving, one call at a time
(gammu-smsd waits for the script), and the PBX reports 2 calls/s (ringing, then hang-up, on the webhook).

Settings: LOAD_SETTINGS (the JSON of prepare.py), LOAD_USERS (users to wait for), LOAD_MINUTES. The
measured window starts once every user has logged in (and LOAD_WARMUP seconds have passed), lasts
LOAD_MINUTES, then Locust stops; each request's time in the window goes to LOAD_OUT (JSON), and the
file LOAD_OUT.measuring exists while the window is open (runs.py accounts CPU over it).
"""
import itertools
import json
import logging
import os
import random
import re
import sys
import threading
import time
import uuid

import gevent
import psycopg2
from locust import HttpUser, User, between, constant, constant_pacing, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from view_spec import specification  # noqa: E402

with open(os.environ["LOAD_SETTINGS"]) as fh:
    SETTINGS = json.load(fh)
OURS = SETTINGS["kind"] == "ours"
WARMUP = float(os.environ.get("LOAD_WARMUP", "20"))
USERS = int(os.environ.get("LOAD_USERS", "0"))
MINUTES = float(os.environ.get("LOAD_MINUTES", "3"))
OUT = os.environ["LOAD_OUT"]
# Saturation runs (LOAD_SATURATE=1): a few agents and customers without think time, fewer than the
# connections Odoo's listen backlog holds (8 per HTTP worker): the most the workers serve of the mix.
SATURATE = os.environ.get("LOAD_SATURATE") == "1"
AGENTS = 3 if SATURATE else len(SETTINGS["agents"])
CUSTOMERS = 4 if SATURATE else len(SETTINGS["portals"])
SMS_PER_S, CALLS_PER_S = 20, 2
SMS_MODEMS = 4  # gammu-smsd daemons, each calling RunOnReceive after what it received
PBX_LINES = 10  # calls in progress at once: each line rings, hangs up, then waits for its next call
# A request without an answer after this long is a failure (instead of a user stuck for the whole run).
TIMEOUT = 60
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TICKET_LINK = re.compile(r'href="/my/tickets/(\d+)' if OURS else r'href="/my/ticket/(\d+)')
TICKET_PAGE = "/my/tickets/{}" if OURS else "/my/ticket/{}"
# The agents' queue: open tickets, as the list view shows them.
QUEUE_DOMAIN = [["is_closed", "=", False]] if OURS else [["closed", "=", False]]
CONTEXT = {"lang": "en_US", "tz": "Asia/Jakarta", "bin_size": True}
agent_logins = itertools.cycle(SETTINGS["agents"])
portal_logins = itertools.cycle(SETTINGS["portals"])

# ----------------------------------------------------------------------------
# Measures: every request of the window, by name; failures at any time
# ----------------------------------------------------------------------------
SAMPLES = {}
FAILURES = {}
WINDOW = {"start": None, "end": None}
READY = []
LOCK = threading.Lock()


@events.request.add_listener
def collect(request_type, name, response_time, response_length, exception=None, **kwargs):
    with LOCK:
        if exception is not None:
            FAILURES.setdefault(name, []).append(str(exception)[:300])
        elif WINDOW["start"] and not WINDOW["end"] and kwargs.get("start_time", 0) >= WINDOW["start"]:
            SAMPLES.setdefault(name, []).append(response_time / 1000)


def ready():
    """A user has logged in: the window opens once all have."""
    READY.append(1)


def measure(environment):
    started = time.time()
    # Users log in within their first seconds; a login stuck in the server's queue does not hold the run.
    while len(READY) < USERS and time.time() - started < max(60, 3 * WARMUP):
        gevent.sleep(0.5)
    gevent.sleep(max(0, WARMUP - (time.time() - started)))
    logging.info("measured window opens: %s of %s users ready", len(READY), USERS)
    WINDOW["start"] = time.time()
    open(OUT + ".measuring", "w").close()
    gevent.sleep(MINUTES * 60)
    WINDOW["end"] = time.time()
    os.remove(OUT + ".measuring")
    with LOCK:
        out = {"window": [WINDOW["start"], WINDOW["end"]],
               "warmup_s": WINDOW["start"] - started, "measured_s": WINDOW["end"] - WINDOW["start"],
               "samples": SAMPLES, "failures": FAILURES, "sms_inserted": SmsInbox.inserted, "calls": Pbx.calls,
               "users_ready": len(READY)}
    with open(OUT, "w") as fh:
        json.dump(out, fh)
    environment.runner.quit()


@events.test_start.add_listener
def started(environment, **kwargs):
    gevent.spawn(measure, environment)


# ----------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------
def log_in(client, login):
    """The login form (the password is the login in the load databases)."""
    page = client.get("/web/login", name="login")
    token = CSRF.search(page.text)
    if token:
        client.post("/web/login", name="login", data={
            "login": login, "password": login, "csrf_token": token.group(1), "redirect": "/odoo",
        })


def rpc(client, url, params, name):
    """A JSON-RPC call as the web client makes it; a reply with "error" is a failure."""
    with client.post(url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
                     name=name, catch_response=True) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
            return None
        body = response.json()
        if "error" in body:
            response.failure(body["error"].get("data", {}).get("message") or body["error"].get("message"))
            return None
        return body["result"]


def post_reply(client, ticket_id, body, name, partner_ids=None, context=None):
    """A chatter reply as the web client and the portal post it (the agent's with its context)."""
    post_data = {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
    params = {"thread_model": "helpdesk.ticket", "thread_id": ticket_id, "post_data": post_data}
    if partner_ids is not None:
        post_data["partner_ids"] = partner_ids
    if context is not None:
        params["context"] = context
    return rpc(client, "/mail/message/post", params, name)


# ----------------------------------------------------------------------------
# Users
# ----------------------------------------------------------------------------
class Client(HttpUser):
    """A user whose requests fail after TIMEOUT seconds without an answer."""

    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.client.request
        self.client.request = lambda *a, **kw: request(*a, **{"timeout": TIMEOUT, **kw})


class Agent(Client):
    """An agent of the service desk in the web client."""

    fixed_count = AGENTS
    wait_time = constant(0) if SATURATE else between(0.5, 2)

    def on_start(self):
        self.ticket_ids, self.list_spec, self.form_spec = [], {"name": {}}, {"name": {}}
        try:
            self.open_session()
        finally:
            ready()

    def open_session(self):
        log_in(self.client, next(agent_logins))
        views = self.call("get_views", [], {"views": [[False, "list"], [False, "form"]], "options": {}},
                          "setup: get_views")
        if not views:
            return
        models = views["models"]
        self.list_spec = specification(views["views"]["list"]["arch"], models, "helpdesk.ticket")
        self.form_spec = specification(views["views"]["form"]["arch"], models, "helpdesk.ticket")
        self.open_queue()

    def call(self, method, args, kwargs, name):
        kwargs = {**kwargs, "context": CONTEXT}
        return rpc(self.client, f"/web/dataset/call_kw/helpdesk.ticket/{method}",
                   {"model": "helpdesk.ticket", "method": method, "args": args, "kwargs": kwargs}, name)

    @task(4)
    def open_queue(self):
        result = self.call("web_search_read", [], {
            "specification": self.list_spec, "domain": QUEUE_DOMAIN, "offset": 0, "limit": 80, "order": "",
            "count_limit": 10001,
        }, "agent: open the queue")
        if result and result["records"]:
            self.ticket_ids = [record["id"] for record in result["records"]]

    @task(4)
    def open_ticket(self):
        if self.ticket_ids:
            self.call("web_read", [[random.choice(self.ticket_ids)]], {"specification": self.form_spec},
                      "agent: open a ticket")

    @task(2)
    def reply(self):
        if self.ticket_ids:
            post_reply(self.client, random.choice(self.ticket_ids), "Sudah kami cek, teknisi akan datang hari ini.",
                       "agent: reply", partner_ids=[], context=CONTEXT)

    @task(1)
    def take_next(self):
        if OURS:
            action = self.call("action_take_next", [], {}, "agent: take next")
            if action and action.get("res_id"):
                self.ticket_ids.append(action["res_id"])


class Customer(Client):
    """A customer's contact in the portal."""

    fixed_count = CUSTOMERS
    wait_time = constant(0) if SATURATE else between(1, 3)

    def on_start(self):
        self.ticket_ids = []
        try:
            log_in(self.client, next(portal_logins))
            self.list_tickets()
        finally:
            ready()

    @task(4)
    def list_tickets(self):
        response = self.client.get("/my/tickets", name="portal: list")
        ids = TICKET_LINK.findall(response.text)
        if ids:
            self.ticket_ids = sorted(set(map(int, ids)))

    @task(4)
    def open_ticket(self):
        if self.ticket_ids:
            self.open(random.choice(self.ticket_ids), "portal: open")

    def open(self, ticket_id, name):
        # A page the customer may not see redirects to /my: that is a failure here.
        with self.client.get(TICKET_PAGE.format(ticket_id), name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")

    @task(1)
    def reply(self):
        if self.ticket_ids:
            post_reply(self.client, random.choice(self.ticket_ids), "Terima kasih, kami tunggu teknisinya.",
                       "portal: reply")

    @task(1)
    def create_ticket(self):
        form_url, post_url = ("/my/tickets/new", "/my/tickets/new") if OURS else ("/new/ticket", "/submitted/ticket")
        page = self.client.get(form_url, name="portal: new ticket form")
        match = CSRF.search(page.text)
        if not match:
            return
        subject = f"Printer kantor tidak bisa mencetak {uuid.uuid4().hex[:8]}"
        data = {"csrf_token": match.group(1), "description": "Kertas macet terus sejak kemarin."}
        data.update({"name": subject} if OURS else {"subject": subject})
        with self.client.post(post_url, data=data, name="portal: create", allow_redirects=False,
                              catch_response=True) as response:
            location = response.headers.get("Location", "")
            created = re.search(r"/my/tickets?/(\d+)", location)
            if response.status_code not in (302, 303) or not created:
                response.failure(f"HTTP {response.status_code} {location}")
                return
        # The customer lands on the new ticket's page: it must be there (replica lag).
        ticket_id = int(created.group(1))
        self.ticket_ids.append(ticket_id)
        self.open(ticket_id, "portal: open the created ticket")


class SmsInbox(User):
    """SMS arriving: gammu-smsd writes each into its inbox, 20 per second (ours only)."""

    fixed_count = 1 if OURS else 0
    wait_time = constant_pacing(1 / SMS_PER_S)
    inserted = 0

    def on_start(self):
        self.db = psycopg2.connect(host="/var/run/postgresql", dbname=SETTINGS["gammu_db"])
        self.db.autocommit = True
        ready()

    def on_stop(self):
        self.db.close()

    @task
    def receive(self):
        if not WINDOW["start"]:
            return  # SMS arrive in the measured window only: lost/duplicated are counted over it
        text = f"Internet kantor mati lagi, mohon dicek {uuid.uuid4().hex[:6]}"
        with self.db.cursor() as cr:
            cr.execute(
                'INSERT INTO inbox ("SenderNumber", "Text", "UDH", "Coding", "TextDecoded", "RecipientID") '
                "VALUES (%s, %s, '', 'Default_No_Compression', %s, 'load')",
                (random.choice(SETTINGS["phones"]), text.encode("utf-16-be").hex().upper(), text),
            )
        SmsInbox.inserted += 1


class SmsModem(Client):
    """A modem's gammu-smsd: after receiving, RunOnReceive, waiting for it to end (ours only)."""

    fixed_count = SMS_MODEMS if OURS else 0
    wait_time = constant(0.05)

    def on_start(self):
        self.url = f"/helpdesk_sms/gateway/{SETTINGS['gateway_id']}/received"
        self.headers = {"Authorization": f"Bearer {SETTINGS['gateway_token']}"}
        self.seen = 0
        ready()

    @task
    def run_on_receive(self):
        if SmsInbox.inserted == self.seen:
            return
        self.seen = SmsInbox.inserted
        with self.client.post(self.url, headers=self.headers, name="sms: RunOnReceive",
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Pbx(Client):
    """The PBX's webhook: a call rings at an agent's extension, then hangs up (ours only)."""

    fixed_count = PBX_LINES if OURS else 0
    wait_time = constant_pacing(PBX_LINES / CALLS_PER_S)
    calls = 0

    def on_start(self):
        self.url = f"/helpdesk_voip/webhook/{SETTINGS['pbx_id']}"
        self.headers = {"Authorization": f"Bearer {SETTINGS['pbx_token']}"}
        ready()

    def event(self, payload, name):
        with self.client.post(self.url, json=payload, headers=self.headers, name=name,
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.text[:200]}")

    @task
    def call(self):
        if not WINDOW["start"]:
            return
        call_id = f"load-{uuid.uuid4().hex}"
        self.event({"event": "ringing", "call_id": call_id, "from": random.choice(SETTINGS["phones"]),
                    "to": random.choice(SETTINGS["extensions"]), "direction": "inbound"}, "call: ringing")
        self.event({"event": "hangup", "call_id": call_id}, "call: hangup")
        Pbx.calls += 1
