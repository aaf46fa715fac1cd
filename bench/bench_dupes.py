"""Benchmark the duplicate check at intake (issue 12) on one database of ours.

- the check of one incoming portal / e-mail ticket (pg_trgm on the customer's open tickets), of one SMS
  batch (the senders' recent open tickets) and of one call (the caller's open ticket), on a ticket table
  brought to --total rows by bench.py's filler: queries and milliseconds (median);
- what the check adds to creating one portal ticket: queries with the check and without it;
- SMS import throughput (bench_channels.py's import, real gammu schema) with the team's follow-up window
  on (24 h) and off (0): messages/s and queries/message; the inbox has one SMS per sender (no duplicate
  to catch), so the figures compare the cost of the check alone.

Prints ``name value`` lines, then one JSON line with every figure.

    /opt/odoo-venv/bin/python bench/bench_dupes.py --db bench_dupes [--quick] [--total 1000000] [--reps 3]
"""
import json
import os
import statistics
import time
from contextlib import ExitStack
from types import SimpleNamespace
from unittest.mock import patch

import bench_channels
from common import env_for, main, median_of, registry_for, run_worker

import bench
from odoo.tools import SQL

SUBJECT = "Printer kantor cabang 7 tidak bisa mencetak"


def cmd_fill(args):
    """bench.py's filler: the ticket table at args.total rows, 1,000 of them the bench customer's."""
    return bench.cmd_fill(SimpleNamespace(db=args.db, kind="ours", total=args.total, customer_n=1_000))


def measure(cr, function, reps):
    """(queries of one call, median milliseconds over reps calls), caches warm as in a running server."""
    function()
    before = cr.sql_log_count
    function()
    queries = cr.sql_log_count - before
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return queries, statistics.median(times) * 1000


def cmd_check(args):
    registry = registry_for(args.db)
    result = {}
    with registry.cursor() as cr:
        env = env_for(cr)
        _agents, team, customer = bench.prepare(env, "ours")
        Ticket = env["helpdesk.ticket"]
        cr.execute("SELECT count(*) FROM helpdesk_ticket")
        result["tickets"] = cr.fetchone()[0]
        big_customer = env["res.partner"].search([("name", "=", "PT Pelanggan 1")], limit=1)
        # One open ticket that an incoming one looks like, among the customer's bulk tickets.
        like = Ticket.create({"name": SUBJECT, "partner_id": customer.id, "team_id": team.id, "channel": "phone"})
        env.flush_all()
        cr.execute("SELECT count(*), count(*) FILTER (WHERE NOT is_closed) FROM helpdesk_ticket "
                   "WHERE commercial_partner_id = %s", [customer.id])
        result["customer_tickets"], result["customer_open_tickets"] = cr.fetchone()

        def incoming(partner, name=SUBJECT):
            return [{"name": name, "partner_id": partner.id, "channel": "portal", "team_id": team.id,
                     "description": "<p>Kertas macet terus sejak pagi, lampu oranye berkedip.</p>"}]

        found = Ticket._find_possible_duplicates(incoming(customer))
        assert found == [like.id], found
        for key, partner, name in (("portal_match", customer, SUBJECT),
                                   ("portal_no_match", customer, "Minta akses VPN untuk karyawan baru"),
                                   ("portal_big_customer", big_customer, SUBJECT)):
            result[f"{key}_queries"], result[f"{key}_ms"] = measure(
                cr, lambda p=partner, n=name: Ticket._find_possible_duplicates(incoming(p, n)), args.reps)
        # The plan: which indexes serve the query.
        vals = incoming(customer)[0]
        cr.execute(SQL("EXPLAIN %s", Ticket._similar_open_tickets_sql(
            [(customer.id, env.company.id, SUBJECT, Ticket._summary_of(vals["description"]), None)], 1)))
        plan = "\n".join(row[0] for row in cr.fetchall())
        result["portal_plan_indexes"] = sorted({word.strip('"') for line in plan.splitlines()
                                                for word in line.split() if word.startswith("helpdesk_ticket_")})

        # What the check adds to creating one portal ticket (the same ticket by phone is not checked).
        def create_queries(name, check=True):
            env.flush_all()
            before = cr.sql_log_count
            with cr.savepoint(), ExitStack() as stack:
                if not check:
                    stack.enter_context(patch.object(type(Ticket), "_find_possible_duplicates",
                                                     lambda self, vals_list: [False] * len(vals_list)))
                Ticket.create(incoming(customer, name))
                env.flush_all()
            return cr.sql_log_count - before

        unlike = "Minta akses VPN untuk karyawan baru"
        for key, name, check in (("create_portal_without_check", unlike, False),
                                 ("create_portal_not_flagged", unlike, True),
                                 ("create_portal_flagged", SUBJECT, True)):
            create_queries(name, check)  # warm-up: caches as in a running server
            result[f"{key}_queries"] = create_queries(name, check)

        # SMS: the senders' recent open tickets, for one sender and for a batch of 500.
        gateway = env["helpdesk.sms.gateway"].create({"name": "Bench dupes modem", "team_id": team.id,
                                                      "dsn": "host=/var/run/postgresql dbname=hd_no_such_db"})
        Sms = env["helpdesk.sms.message"]
        senders = env["res.partner"].search([("name", "like", "PT Pelanggan %")], limit=499) | customer
        for key, partners in (("sms_one_sender", customer), ("sms_batch_500_senders", senders)):
            result[f"{key}_queries"], result[f"{key}_ms"] = measure(
                cr, lambda p=partners: Sms._recent_open_tickets(gateway, set(p)), args.reps)

        # Call: the caller's open ticket, for one incoming call.
        Call = env["helpdesk.voip.call"]
        call = Call.create({"direction": "inbound", "caller_number": "+6281299990000", "partner_id": customer.id,
                            "call_id": "bench-dupes-call"})

        def link():
            call.ticket_id = False
            env["helpdesk.duplicate.event"].search([("voip_call_id", "=", call.id)]).unlink()
            env.flush_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            call._link_open_tickets()
            return cr.sql_log_count - before, time.perf_counter() - start

        runs = [link() for _ in range(args.reps)]
        # The lookup and the INSERT of the catch; the call's link is written with the call at flush.
        result["call_link_queries"] = min(queries for queries, _ in runs)
        result["call_link_ms"] = statistics.median(seconds for _, seconds in runs) * 1000
        cr.rollback()
    return result


def cmd_sms_import(args):
    """bench_channels.py's SMS import, its bench team's follow-up window set to args.window hours."""
    team_of = bench_channels.bench_team

    def team_with_window(env, name):
        team = team_of(env, name)
        team.sms_duplicate_window_hours = args.window
        return team

    bench_channels.bench_team = team_with_window
    return bench_channels.cmd_sms_import(SimpleNamespace(db=args.db, n=args.n, importers=1))


WORKERS = {"fill": cmd_fill, "check": cmd_check, "sms-import": cmd_sms_import}


def orchestrate(args):
    total = 20_000 if args.quick else args.total
    n = 2_000  # one SMS per sender of bench_channels.py's 2,000: nothing to catch, the check's cost alone
    results = {}

    def emit(name, value):
        results[name] = round(value, 4) if isinstance(value, float) else value
        print(f"{name} {results[name]}", flush=True)

    def run(cmd, **options):
        return run_worker(os.path.abspath(__file__), cmd, args.db, **options)

    run("fill", total=total)
    checks = [run("check", reps=args.check_reps) for _ in range(args.reps)]
    emit("tickets", checks[0]["tickets"])
    emit("customer_tickets", checks[0]["customer_tickets"])
    emit("customer_open_tickets", checks[0]["customer_open_tickets"])
    for key in ("portal_match", "portal_no_match", "portal_big_customer", "sms_one_sender", "sms_batch_500_senders"):
        emit(f"{key}_queries", checks[0][f"{key}_queries"])
        emit(f"{key}_ms", median_of(checks, f"{key}_ms"))
    emit("call_link_queries", checks[0]["call_link_queries"])
    emit("call_link_ms", median_of(checks, "call_link_ms"))
    for key in ("create_portal_flagged", "create_portal_not_flagged", "create_portal_without_check"):
        emit(f"{key}_ticket_queries", checks[0][f"{key}_queries"])
    print("portal_plan_indexes " + ",".join(checks[0]["portal_plan_indexes"]), flush=True)
    results["portal_plan_indexes"] = checks[0]["portal_plan_indexes"]
    if args.no_sms:
        print(json.dumps(results))
        return
    imports = {"on": [], "off": []}
    for _ in range(args.reps):  # alternating, so that both see the same machine
        imports["off"].append(run("sms-import", n=n, window=0))
        imports["on"].append(run("sms-import", n=n, window=24))
    for state in ("off", "on"):
        emit(f"sms_import_{n}_window_{state}_messages_per_s", median_of(imports[state], "rate"))
        emit(f"sms_import_{n}_window_{state}_queries_per_message", median_of(imports[state], "queries"))
        emit(f"sms_import_{n}_window_{state}_tickets", imports[state][0]["tickets"])
    emit("sms_import_on_vs_off", median_of(imports["on"], "rate") / median_of(imports["off"], "rate"))
    print(json.dumps(results))


def worker_options(parser):
    for name in ("total", "n", "window", "reps"):
        parser.add_argument(f"--{name}", type=int, default=0)


def options(parser):
    parser.add_argument("--db", default="bench_dupes", help="a database with helpdesk_sms and helpdesk_voip")
    parser.add_argument("--total", type=int, default=1_000_000, help="tickets in the table")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each measurement (median)")
    parser.add_argument("--check-reps", type=int, default=50, help="checks timed per repetition")
    parser.add_argument("--no-sms", action="store_true", help="the checks only, without the SMS imports")
    parser.add_argument("--quick", action="store_true", help="20,000 tickets, for a smoke run")


if __name__ == "__main__":
    main(__doc__, WORKERS, worker_options, options, orchestrate)
