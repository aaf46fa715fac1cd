"""What the benchmark scripts share: a benchmark database's registry, the worker subprocesses that
measure (one registry per measurement, one JSON line back), an Odoo server of their own, timing,
the printed table and bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
# bench/run.sh sets it (ours, Odoo's and the peer's addons); a script run by hand gets ours and Odoo's.
ADDONS_PATH = os.environ.get("BENCH_ADDONS_PATH") or f"{REPO},{ODOO_SRC}/odoo/addons"
ODOO_CONF = os.path.join(REPO, "odoo.conf")
# The end-to-end tests' helpers (programs stopped by PID, gammu's schema and dummy modem).
sys.path.append(os.path.join(REPO, "tests"))


# ----------------------------------------------------------------------------
# Odoo: registry, environment, a server of our own
# ----------------------------------------------------------------------------
def registry_for(db):
    import odoo  # noqa: F401
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", ODOO_CONF, "--addons-path", ADDONS_PATH, "-d", db, "--log-level=warn"])
    return Registry(db)


def env_for(cr, uid=None):
    from odoo import SUPERUSER_ID, api
    return api.Environment(cr, uid or SUPERUSER_ID, {"lang": "en_US"})


def odoo_bin():
    path = os.path.join(ODOO_SRC, "odoo-bin")
    return path if os.path.exists(path) else os.path.join(ODOO_SRC, "setup", "odoo")


def start_server(db, log_path, log_level="warn", timeout=90):
    """An Odoo server of our own serving db alone (one process, no cron) on a free port of 127.0.0.1,
    once it answers: (program, base URL); program.stop() ends it."""
    import requests
    from e2e_support import Program, free_port

    port = free_port()
    program = Program([PY, odoo_bin(), "-c", ODOO_CONF, "--addons-path", ADDONS_PATH, "-d", db,
                       f"--db-filter=^{db}$", "--workers=0", "--http-interface=127.0.0.1", f"--http-port={port}",
                       "--max-cron-threads=0", f"--log-level={log_level}"], log_path=log_path)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(f"{base}/web/health", timeout=5)
            return program, base
        except requests.ConnectionError:
            if time.monotonic() > deadline or not program.alive():
                program.stop()
                raise RuntimeError(f"Odoo did not start:\n{program.log()}") from None
            time.sleep(0.3)


# ----------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------
def timed(fn, reps=5):
    """Median wall-clock seconds of reps calls of fn."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_of(results, key):
    return statistics.median(r[key] for r in results)


def profiled(function):
    """function(), under cProfile when BENCH_PROFILE names a file for the statistics."""
    path = os.environ.get("BENCH_PROFILE")
    if not path:
        return function()
    import cProfile

    profile = cProfile.Profile()
    try:
        return profile.runcall(function)
    finally:
        profile.dump_stats(path)


# ----------------------------------------------------------------------------
# Workers: each measurement in its own subprocess, its figures as the last line of its output (JSON)
# ----------------------------------------------------------------------------
def run_json(argv):
    """Runs argv; returns the JSON object on the last line of its output. On failure shows the end of its
    output and stops the benchmark."""
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    if out.returncode:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-6000:])
        raise SystemExit(f"{' '.join(argv[1:4])} failed ({out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_worker(script, cmd, db, **options):
    """The worker cmd of script (a benchmark file) on db; options become --name value arguments."""
    argv = [PY, script, "worker", cmd, "--db", db]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    return run_json(argv)


def main(doc, workers, worker_options, options, orchestrate):
    """The command line of a benchmark script: `worker CMD --db DB ...` runs one measurement and prints
    its JSON; without `worker`, orchestrate(args) runs them all. worker_options and options add the
    arguments of each (functions of an argparse parser)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("worker")
    worker.add_argument("cmd", choices=sorted(workers))
    worker.add_argument("--db", required=True)
    worker_options(worker)
    options(parser)
    args = parser.parse_args()
    if args.command == "worker":
        print(json.dumps(workers[args.cmd](args)))
    else:
        orchestrate(args)


# ----------------------------------------------------------------------------
# The table: printed as it fills, then written to bench/RESULTS.md
# ----------------------------------------------------------------------------
def fmt(value, unit=""):
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}{unit}"
        if value >= 1:
            return f"{value:.1f}{unit}"
        return f"{value * 1000:.1f} ms" if unit == "s" else f"{value:.3f}{unit}"
    return f"{value}{unit}"


class Table:
    """Measures of ours against the peer's, with the ratio us/peer; prints each row when it is added."""

    def __init__(self):
        self.rows = []
        print(f"{'measure':<58} {'ours':>12} {'peer':>12} {'us/peer':>7}")

    def row(self, what, ours, peer, better="higher", unit=""):
        ratio = (ours / peer) if (ours is not None and peer) else None
        self.rows.append((what, fmt(ours, unit), fmt(peer, unit), f"{ratio:.2f}" if ratio else "-", better))
        print(f"{what:<58} {fmt(ours, unit):>12} {fmt(peer, unit):>12} {ratio and f'{ratio:.2f}' or '-':>7}",
              flush=True)

    def write_results(self, args):
        """bench/RESULTS.md: the run's circumstances, the table, then bench/FINDINGS.md."""
        import odoo.release

        path = os.path.join(REPO, "bench", "RESULTS.md")
        cpu = platform.processor() or platform.machine()
        pg = subprocess.run(["psql", "-tAc", "SHOW server_version", "postgres"], capture_output=True, text=True)
        lines = [
            "# Benchmark results",
            "",
            f"- date: {date.today().isoformat()}{' (quick run)' if args.quick else ''}",
            f"- Odoo {odoo.release.version}, Python {platform.python_version()}, "
            f"PostgreSQL {pg.stdout.strip()}",
            f"- machine: {os.cpu_count()} cores, {cpu}, {platform.platform()}",
            f"- peer: OCA helpdesk_mgmt from PyPI; median of {args.reps} repetitions; internal helpdesk user",
            "",
            "| measure | ours | peer | us/peer | better |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        lines += [f"| {w} | {o} | {p} | {r} | {b} |" for w, o, p, r, b in self.rows]
        findings = os.path.join(REPO, "bench", "FINDINGS.md")
        if os.path.exists(findings):  # profiling notes and before/after figures, kept by hand
            with open(findings) as fh:
                lines += ["", fh.read().rstrip()]
        # The "Load" section of bench/load.sh (bench/load/report.py) stays.
        if os.path.exists(path):
            with open(path) as fh:
                current = fh.read()
            if "<!-- load:begin -->" in current:
                lines += ["", "<!-- load:begin -->" + current.split("<!-- load:begin -->", 1)[1].rstrip()]
        with open(path, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        print(f"\nwritten to {path}")
