"""Helpers of the production set-up test: the running deploy/start.sh and its Odoo processes."""
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
WORKER_ALIVE = re.compile(r"Worker (WorkerHTTP|WorkerCron) \((\d+)\) alive")


class Production:
    """The running set-up: nginx's URL, the PID of Odoo's prefork master, its log."""

    def __init__(self, program, run_dir):
        self.program = program
        self.run_dir = run_dir
        ready = dict(line.split("=", 1) for line in (run_dir / "ready").read_text().split())
        self.url = ready["URL"]
        self.odoo_pid = int(ready["ODOO_PID"])

    def odoo_log(self):
        path = self.run_dir / "odoo.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def live_children(self):
        """PIDs of the prefork master's live children (HTTP and cron workers, gevent process)."""
        children = Path(f"/proc/{self.odoo_pid}/task/{self.odoo_pid}/children").read_text().split()
        return {int(pid) for pid in children if process_running(int(pid))}

    def workers(self, kind="WorkerHTTP"):
        """PIDs of the live workers of a kind, as the master's log announces them."""
        logged = {int(pid) for found_kind, pid in WORKER_ALIVE.findall(self.odoo_log()) if found_kind == kind}
        return logged & self.live_children()


def process_running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
