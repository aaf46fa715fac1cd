"""Helpers of the production set-up test: the running deploy/start.sh and its Odoo processes."""

import os
import re
from pathlib import Path

import requests
from e2e_support import wait_for

import odoo
from odoo.tests.common import get_db_name

REPO = Path(__file__).resolve().parent.parent.parent
WORKER_ALIVE = re.compile(r"Worker (WorkerHTTP|WorkerCron) \((\d+)\) alive")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(url, login_name, password):
    """The web client's login form, through nginx; returns the session's requests.Session."""
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=30)
    page.raise_for_status()
    response = session.post(
        f"{url}/web/login",
        timeout=30,
        data={
            "login": login_name,
            "password": password,
            "csrf_token": CSRF.search(page.text).group(1),
            "redirect": "/odoo",
        },
    )
    response.raise_for_status()
    info = session.post(
        f"{url}/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}}, timeout=30
    ).json()["result"]
    assert info["username"] == login_name, info
    return session


class Production:
    """The running set-up: nginx's URL, the Odoo nodes (prefork masters) and the replica, if any."""

    def __init__(self, program, run_dir):
        self.program = program
        self.run_dir = run_dir
        self.ready = dict(line.split("=", 1) for line in (run_dir / "ready").read_text().split())
        self.url = self.ready["URL"]
        self.nodes = [
            Node(int(self.ready[f"NODE{n}_PID"]), run_dir / f"odoo-{n}.log")
            for n in range(1, int(self.ready["NODES"]) + 1)
        ]

    def processes(self):
        """PIDs of every Odoo process: the nodes' masters and their children."""
        return {pid for node in self.nodes for pid in {node.pid, *node.live_children()}}


class Node:
    """One Odoo prefork server: its master's PID and its log."""

    def __init__(self, pid, log_path):
        self.pid = pid
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def live_children(self):
        """PIDs of the master's live children (HTTP and cron workers, gevent process)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        children = path.read_text().split() if path.exists() else []
        return {int(pid) for pid in children if process_running(int(pid))}

    def workers(self, kind="WorkerHTTP"):
        """PIDs of the live workers of a kind, as the master's log announces them."""
        logged = {int(pid) for found_kind, pid in WORKER_ALIVE.findall(self.log()) if found_kind == kind}
        return logged & self.live_children()


def process_running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start_production(start_program, run_dir, **settings):
    """bash deploy/start.sh on the test database, all on free ports of 127.0.0.1."""
    env = dict(
        os.environ,
        HELPDESK_DB=get_db_name(),
        HELPDESK_RUN_DIR=str(run_dir),
        HELPDESK_DATA_DIR=odoo.tools.config["data_dir"],
        **settings,
    )
    program = start_program(["bash", str(REPO / "deploy" / "start.sh")], name="deploy", env=env)
    wait_for(
        lambda: not program.alive() or (run_dir / "ready").exists(),
        timeout=120,
        message="deploy/start.sh to answer /web/health through nginx",
    )
    logs = "".join(path.read_text(errors="replace") for path in sorted(run_dir.glob("*.log")))
    assert program.alive(), program.log() + logs
    return Production(program, run_dir)


def stop_production(production):
    processes = production.processes()
    production.program.stop(timeout=30)
    assert not any(process_running(pid) for pid in processes), "deploy/start.sh left Odoo processes running"
