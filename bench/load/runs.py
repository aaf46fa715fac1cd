"""The runs of bench/load.sh: for each set-up, deploy/start.sh on loopback, Locust headless against it,
the CPU seconds of each component meanwhile, then SMS lost/duplicated once gammu's queue drained.
Writes run files into --work and the "Load" section of bench/RESULTS.md (report.py).
"""
import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import report  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
SOCKET = "/var/run/postgresql"
# name: (kind, HTTP workers, replica, SMS and calls too, saturation). The "-web" runs of ours have the
# peer's load exactly (agents and portal only): the like-for-like comparison of the shared actions. The
# "-max" runs: 3 agents and 4 customers without think time, the throughput 1 and 2 workers reach.
RUNS = {
    "ours-1": ("ours", 1, False, True, False),
    "ours-2": ("ours", 2, False, True, False),
    "ours-2-replica": ("ours", 2, True, True, False),
    "ours-1-web": ("ours", 1, False, False, False),
    "ours-2-web": ("ours", 2, False, False, False),
    "peer-1": ("peer", 1, False, False, False),
    "peer-2": ("peer", 2, False, False, False),
    "ours-1-max": ("ours", 1, False, False, True),
    "ours-2-max": ("ours", 2, False, False, True),
    "peer-1-max": ("peer", 1, False, False, True),
    "peer-2-max": ("peer", 2, False, False, True),
}


# ----------------------------------------------------------------------------
# CPU accounting from /proc
# ----------------------------------------------------------------------------
def proc_cpu(pid):
    """(CPU seconds used, start time in ticks since boot) of a live process, else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # after the command: state(0) ... utime(11) stime(12) ... starttime(19)
    return (int(fields[11]) + int(fields[12])) / TICK, int(fields[19])


def descendants(pid):
    """pid and all its descendants (prefork workers, gevent process; nginx workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children") if Path(f"/proc/{current}").exists() else []:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                todo += [int(child) for child in task.read_text().split()]
    return found


def machine_busy():
    """Busy and total CPU seconds of the whole machine since boot (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / TICK, total / TICK


class CpuAccount(threading.Thread):
    """Samples, every second, the CPU seconds of each process of each component; a process's share is
    its last sample minus its sample at the start (0 if it started during the window)."""

    def __init__(self, components):
        super().__init__(daemon=True)
        self.components = components  # name -> function returning PIDs
        self.first, self.last = {}, {}
        self.stopping = threading.Event()

    def sample(self, first=False):
        for name, pids in self.components.items():
            for pid in pids():
                cpu = proc_cpu(pid)
                if cpu is None:
                    continue
                key = (name, pid, cpu[1])
                if key not in self.first:
                    self.first[key] = cpu[0] if first or cpu[1] < self.start_ticks else 0.0
                self.last[key] = cpu[0]

    def run(self):
        while not self.stopping.wait(1):
            self.sample()

    def begin(self):
        self.start_ticks = int(float(Path("/proc/uptime").read_text().split()[0]) * TICK)
        self.machine_start = machine_busy()
        self.wall_start = time.monotonic()
        self.sample(first=True)
        self.start()

    def end(self):
        self.stopping.set()
        self.join()
        self.sample()
        busy, total = machine_busy()
        result = dict.fromkeys(self.components, 0.0)
        for (name, _pid, _start), value in self.last.items():
            result[name] += value - self.first[(name, _pid, _start)]
        result["machine busy"] = busy - self.machine_start[0]
        result["machine capacity"] = total - self.machine_start[1]
        result["wall"] = time.monotonic() - self.wall_start
        return result


def backends(databases):
    """PIDs of the PostgreSQL backends of the run's databases, and of the WAL senders (replica)."""
    conn = psycopg2.connect(host=SOCKET, dbname="postgres")
    conn.autocommit = True

    def pids():
        with conn.cursor() as cr:
            cr.execute("SELECT pid FROM pg_stat_activity WHERE (datname = ANY(%s) OR backend_type = 'walsender') "
                       "AND pid <> pg_backend_pid()", [list(databases)])
            return [pid for (pid,) in cr.fetchall()]

    return pids, conn


# ----------------------------------------------------------------------------
# One run
# ----------------------------------------------------------------------------
def start_setup(args, settings, workers, replica, run_dir):
    env = dict(os.environ, HELPDESK_DB=settings["db"], HELPDESK_WORKERS=str(workers), HELPDESK_CRON_WORKERS="1",
               HELPDESK_NODES="1", HELPDESK_REPLICA="1" if replica else "0", HELPDESK_RUN_DIR=str(run_dir),
               HELPDESK_DATA_DIR=args.data_dir)
    if settings["kind"] == "peer":
        env["HELPDESK_EXTRA_ADDONS"] = args.peer_addons
    log = run_dir.parent / f"{run_dir.name}-start.log"
    with open(log, "w") as fh:
        program = subprocess.Popen(["bash", str(REPO / "deploy" / "start.sh")], env=env, stdout=fh, stderr=fh,
                                   start_new_session=True)
    deadline = time.monotonic() + 300
    while not (run_dir / "ready").exists():
        if program.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"deploy/start.sh did not start, see {log} and {run_dir}")
        time.sleep(0.5)
    ready = dict(line.split("=", 1) for line in (run_dir / "ready").read_text().split())
    return program, ready


def stop_setup(program):
    program.send_signal(signal.SIGTERM)
    try:
        program.wait(timeout=90)
    except subprocess.TimeoutExpired:
        program.kill()
        program.wait()


def sms_check(settings, inbox_before):
    """Once gammu's queue drained: inbox rows inserted by the run against imported SMS."""
    gammu = psycopg2.connect(host=SOCKET, dbname=settings["gammu_db"])
    odoo = psycopg2.connect(host=SOCKET, dbname=settings["db"])
    deadline = time.monotonic() + 180
    with gammu.cursor() as gcr, odoo.cursor() as ocr:
        while True:
            gcr.execute('SELECT count(*) FROM inbox WHERE NOT "Processed"')
            pending = gcr.fetchone()[0]
            if not pending or time.monotonic() > deadline:
                break
            gammu.rollback()
            time.sleep(1)
        gcr.execute('SELECT "ID" FROM inbox WHERE "ID" > %s', [inbox_before])
        inserted = {row[0] for row in gcr.fetchall()}
        ocr.execute("SELECT gammu_id FROM helpdesk_sms_message WHERE gateway_id = %s AND gammu_id > %s",
                    [settings["gateway_id"], inbox_before])
        imported = [row[0] for row in ocr.fetchall()]
    gammu.close()
    odoo.close()
    return {"inserted": len(inserted), "imported": len(set(imported)), "pending": pending,
            "lost": len(inserted - set(imported)), "duplicated": len(imported) - len(set(imported))}


REQUEST_LINE = re.compile(
    r'^(\S+ \S+),\d+ .* werkzeug: .*"([A-Z]+) ([^ ?#]+)\S* HTTP/1\.[01]" \d+ - (\d+) ([\d.]+) ([\d.]+)'
)
RECORD_ID = re.compile(r"/\d+")


def server_side(log_path, window):
    """Per route, from Odoo's request log over the window: requests, and per request the SQL queries,
    seconds in SQL and seconds in Python (and waiting for the CPU)."""
    start, end = window
    routes = {}
    for line in log_path.read_text(errors="replace").splitlines():
        match = REQUEST_LINE.match(line)
        if not match:
            continue
        stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
        if not start <= stamp <= end:
            continue
        route = f"{match.group(2)} {RECORD_ID.sub('/<id>', match.group(3))}"
        entry = routes.setdefault(route, [0, 0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += int(match.group(4))
        entry[2] += float(match.group(5))
        entry[3] += float(match.group(6))
    return {route: {"n": n, "queries": q / n, "sql_s": sql / n, "python_s": py / n}
            for route, (n, q, sql, py) in routes.items()}


def max_inbox_id(settings):
    conn = psycopg2.connect(host=SOCKET, dbname=settings["gammu_db"])
    with conn.cursor() as cr:
        cr.execute('SELECT coalesce(max("ID"), 0) FROM inbox')
        value = cr.fetchone()[0]
    conn.close()
    return value


def one_run(args, name, kind, workers, replica, channels, saturate):
    settings_path = Path(args.work) / f"{kind}.json"
    settings = json.loads(settings_path.read_text())
    run_dir = Path(args.work) / name
    run_dir.mkdir()
    load_before = float(Path("/proc/loadavg").read_text().split()[0])
    print(f"[load] {name}: {kind}, {workers} HTTP worker(s){', replica' if replica else ''}"
          f"{', SMS and calls' if channels else ''}; "
          f"load average (1 min) {load_before:.2f}", flush=True)
    program, ready = start_setup(args, settings, workers, replica, run_dir)
    locust = None
    pg_pids, pg_conn = backends([settings["db"]] + ([settings["gammu_db"]] if kind == "ours" else []))
    try:
        inbox_before = max_inbox_id(settings) if channels else 0
        classes = ["Agent", "Customer"] + (["SmsInbox", "SmsModem", "Pbx"] if channels else [])
        # with the channels: also the SMS inbox, 4 modems and 10 PBX lines (locustfile.py)
        people = 3 + 4 if saturate else len(settings["agents"]) + len(settings["portals"])
        users = people + (15 if channels else 0)
        out = run_dir / "locust.json"
        env = dict(os.environ, LOAD_SETTINGS=str(settings_path), LOAD_OUT=str(out), LOAD_USERS=str(users),
                   LOAD_SATURATE="1" if saturate else "0", LOAD_MINUTES=str(args.minutes),
                   LOAD_WARMUP="10" if args.quick else "20")
        with open(run_dir / "locust.log", "w") as locust_log:
            locust = subprocess.Popen(
                [args.locust, "-f", str(HERE / "locustfile.py"), "--headless", "--host", ready["URL"], "-u",
                 str(users), "-r", "7" if saturate else "2", "--stop-timeout", "30", "--only-summary", *classes],
                env=env, stdout=locust_log, stderr=subprocess.STDOUT, cwd=str(run_dir))
        replica_pid = None
        if "REPLICA_HOST" in ready:
            replica_pid = int((Path(ready["REPLICA_HOST"]) / "data" / "postmaster.pid").read_text().split()[0])
        components = {
            "Odoo (master, workers, gevent, cron)": lambda: descendants(int(ready["NODE1_PID"])),
            "PostgreSQL backends": pg_pids,
            "PostgreSQL replica": (lambda: descendants(replica_pid)) if replica_pid else (lambda: []),
            "nginx": lambda: descendants(int(ready["NGINX_PID"])),
            "Locust": lambda: descendants(locust.pid),
        }
        # CPU over Locust's measured window (it keeps a marker file while the window is open).
        marker = Path(str(out) + ".measuring")
        while not marker.exists() and locust.poll() is None:
            time.sleep(0.1)
        account = CpuAccount(components)
        account.begin()
        while marker.exists() and locust.poll() is None:
            time.sleep(0.1)
        cpu = account.end()
        try:
            locust.wait(timeout=120)
        except subprocess.TimeoutExpired:
            locust.kill()
            locust.wait()
        load_after = float(Path("/proc/loadavg").read_text().split()[0])
        result = json.loads(out.read_text()) if out.exists() else {"samples": {}, "failures": {"locust": ["no output"]}}
        if channels:
            result["sms"] = sms_check(settings, inbox_before)
        if result.get("window"):
            result["server"] = server_side(run_dir / "odoo-1.log", result["window"])
    finally:
        if locust and locust.poll() is None:
            locust.kill()
            locust.wait()
        pg_conn.close()
        stop_setup(program)
    result.update({"name": name, "kind": kind, "workers": workers, "replica": replica, "channels": channels,
                   "saturate": saturate, "cpu": cpu,
                   "load_before": load_before, "load_after": load_after, "minutes": args.minutes})
    (run_dir / "result.json").write_text(json.dumps(result))
    print(report.run_summary(result), flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", required=True)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--quick", type=int, default=0)
    parser.add_argument("--runs", default=",".join(RUNS))
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--peer-addons", required=True)
    parser.add_argument("--locust", required=True)
    args = parser.parse_args()
    # SIGTERM (kill) ends like Ctrl-C: each run's set-up is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = [one_run(args, name, *RUNS[name]) for name in args.runs.split(",")]
    (Path(args.work) / "results.json").write_text(json.dumps(results))
    report.write(results, quick=bool(args.quick))


if __name__ == "__main__":
    main()
