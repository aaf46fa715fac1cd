"""Benchmark our helpdesk against OCA helpdesk_mgmt in the same run, on the same database server.

Each measurement runs in its own subprocess (one Odoo registry per database), alternating
ours / peer, and reports the median of the repetitions; query counts are exact.
"""
import os
import re
import statistics
import time

from common import PY, REPO, Table, env_for, main, median_of, registry_for, run_json, run_worker, start_server, timed

# ----------------------------------------------------------------------------
# Worker side: runs inside one database
# ----------------------------------------------------------------------------
KIND_GROUPS = {
    "ours": ("helpdesk_ticketing.group_helpdesk_user", "helpdesk_ticketing.group_helpdesk_manager"),
    "peer": ("helpdesk_mgmt.group_helpdesk_user", "helpdesk_mgmt.group_helpdesk_manager"),
}


def prepare(env, kind):
    """Users, team, customers; idempotent."""
    Users = env["res.users"].with_context(no_reset_password=True)
    user_group, manager_group = KIND_GROUPS[kind]
    agents = Users.search([("login", "like", "bench_agent_%")], order="login")
    if not agents:
        agents = Users.create([{
            "name": f"Bench Agent {i}", "login": f"bench_agent_{i}", "email": f"agent{i}@bench.example.co.id",
            "group_ids": [(6, 0, [env.ref(user_group).id])], "notification_type": "inbox",
        } for i in range(3)])
        Users.create({"name": "Bench Manager", "login": "bench_manager", "email": "manager@bench.example.co.id",
                      "group_ids": [(6, 0, [env.ref(manager_group).id])]})
        customer = env["res.partner"].create({"name": "PT Bench Utama", "is_company": True,
                                              "email": "utama@bench.example.co.id"})
        env["res.partner"].create([{"name": f"PT Pelanggan {i}", "is_company": True} for i in range(200)])
        portal_partner = env["res.partner"].create({"name": "Portal Bench", "parent_id": customer.id,
                                                    "email": "portal@bench.example.co.id"})
        Users.create({"name": "Portal Bench", "login": "bench_portal", "password": "bench_portal",
                      "partner_id": portal_partner.id, "group_ids": [(6, 0, [env.ref("base.group_portal").id])]})
        if kind == "ours":
            env["helpdesk.team"].create({
                "name": "Bench Team", "assignment_method": "round_robin",
                "member_line_ids": [(0, 0, {"user_id": u.id}) for u in agents],
            })
            env["helpdesk.sla"].create({"name": "Bench SLA", "response_hours": 4, "resolution_hours": 24})
        else:
            env["helpdesk.ticket.team"].create({"name": "Bench Team", "user_ids": [(6, 0, agents.ids)]})
    team_model = "helpdesk.team" if kind == "ours" else "helpdesk.ticket.team"
    team = env[team_model].search([("name", "=", "Bench Team")], limit=1)
    customer = env["res.partner"].search([("name", "=", "PT Bench Utama")], limit=1)
    return agents, team, customer


def ticket_vals(kind, i, team, customer):
    vals = {"name": f"Printer kantor cabang {i} tidak bisa mencetak", "partner_id": customer.id,
            "team_id": team.id, "description": f"<p>Laporan nomor {i}: printer macet.</p>", "priority": "1"}
    if kind == "ours":
        vals["channel"] = "portal"
    return vals


def cmd_create(args):
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        agents, team, customer = prepare(env_for(cr), args.kind)
        cr.commit()
        env = env_for(cr, agents[0].id)
        Ticket = env["helpdesk.ticket"]
        vals = [ticket_vals(args.kind, i, team, customer) for i in range(args.n)]
        env.flush_all()
        start_queries, start = cr.sql_log_count, time.perf_counter()
        if args.mode == "single":
            for v in vals:
                Ticket.create(v)
                env.flush_all()
        else:
            Ticket.create(vals)
            env.flush_all()
        cr.commit()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
    return {"rate": args.n / elapsed, "queries_per_ticket": queries / args.n}


def cmd_floor(args):
    """Plain SQL into a table with the same columns as our ticket table: the physical floor."""
    import io

    from psycopg2.extras import execute_values

    registry = registry_for(args.db)
    with registry.cursor() as cr:
        cr.execute("DROP TABLE IF EXISTS bench_floor")
        cr.execute("CREATE TABLE bench_floor (LIKE helpdesk_ticket INCLUDING DEFAULTS)")
        cr.execute("SELECT id FROM res_partner ORDER BY id LIMIT 1")
        partner = cr.fetchone()[0]
        cols = ["code", "name", "partner_id", "commercial_partner_id", "company_id", "channel", "priority",
                "level", "active", "description", "create_date", "write_date", "create_uid", "write_uid"]
        rows = [(f"HD/2026/{i:05d}", f"Printer {i}", partner, partner, 1, "portal", "1", "1", True,
                 f"<p>Laporan {i}</p>", "2026-11-22 10:00:00", "2026-11-22 10:00:00", 1, 1) for i in range(args.n)]
        cr.commit()
        start = time.perf_counter()
        execute_values(cr._obj, f"INSERT INTO bench_floor ({', '.join(cols)}) VALUES %s", rows, page_size=1000)
        cr.commit()
        ev = args.n / (time.perf_counter() - start)
        cr.execute("TRUNCATE bench_floor")
        cr.commit()
        buf = io.StringIO("".join("\t".join(str(v) for v in row) + "\n" for row in rows))
        start = time.perf_counter()
        cr._obj.copy_from(buf, "bench_floor", columns=cols)
        cr.commit()
        cp = args.n / (time.perf_counter() - start)
        cr.execute("DROP TABLE bench_floor")
        cr.commit()
    return {"execute_values": ev, "copy": cp}


def cmd_fill(args):
    """Bring the ticket table to args.total rows (args.customer_n for the bench customer) by SQL."""
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        agents, team, customer = prepare(env_for(cr), args.kind)
        cr.commit()
        cr.execute("SELECT count(*) FROM helpdesk_ticket")
        have = cr.fetchone()[0]
        missing = args.total - have
        if missing <= 0:
            return {"rows": have}
        cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE partner_id = %s", [customer.id])
        customer_missing = max(0, args.customer_n - cr.fetchone()[0])
        cr.execute("SELECT array_agg(id) FROM res_partner WHERE name LIKE 'PT Pelanggan %%'")
        others = cr.fetchone()[0]
        stage_table = "helpdesk_stage" if args.kind == "ours" else "helpdesk_ticket_stage"
        cr.execute(f"SELECT array_agg(id ORDER BY id) FROM {stage_table}")
        stages = cr.fetchone()[0]
        user_ids = agents.ids
        common = """
            SELECT g, CASE WHEN g <= %(cm)s THEN %(customer)s ELSE (%(others)s::int[])[1 + g %% %(no)s] END AS partner,
                   (%(stages)s::int[])[1 + g %% %(ns)s] AS stage,
                   CASE WHEN g %% 4 = 0 THEN NULL ELSE (%(users)s::int[])[1 + g %% %(nu)s] END AS uid,
                   (now() at time zone 'utc') - make_interval(hours => ((g::bigint * 7919) %% 26280)::int) AS created
              FROM generate_series(1, %(n)s) g
        """
        params = {"cm": customer_missing, "customer": customer.id, "others": others, "no": len(others),
                  "stages": stages, "ns": len(stages), "users": user_ids, "nu": len(user_ids), "n": missing,
                  "team": team.id, "base": have}
        if args.kind == "ours":
            cr.execute(f"""
                INSERT INTO helpdesk_ticket (code, name, partner_id, commercial_partner_id, company_id, channel,
                    priority, level, active, team_id, user_id, stage_id, is_closed, approval_state, sla_status,
                    progress, escalation_count, reopen_count, description, create_date, write_date, create_uid,
                    write_uid, date_last_stage_update, date_closed)
                SELECT 'HD/B/' || (%(base)s + s.g), 'Bulk ticket ' || s.g, s.partner, s.partner, 1,
                       (ARRAY['portal','email','phone','sms','walk_in'])[1 + s.g %% 5], (s.g %% 4)::text, '1', true,
                       %(team)s, s.uid, s.stage, st.is_closed, 'none',
                       CASE WHEN s.g %% 10 = 0 THEN 'breached' ELSE 'on_track' END, 0, 0, 0, '<p>bulk</p>',
                       s.created, s.created, 1, 1, s.created,
                       CASE WHEN st.is_closed THEN s.created + interval '5 hours' END
                  FROM ({common}) s JOIN helpdesk_stage st ON st.id = s.stage
            """, params)
        else:
            cr.execute(f"""
                INSERT INTO helpdesk_ticket (number, name, description, partner_id, commercial_partner_id,
                    company_id, priority, active, team_id, user_id, stage_id, unattended, kanban_state, sequence,
                    create_date, write_date, create_uid, write_uid, last_stage_update, closed_date)
                SELECT 'HT-B' || (%(base)s + s.g), 'Bulk ticket ' || s.g, '<p>bulk</p>', s.partner, s.partner, 1,
                       (s.g %% 4)::text, true, %(team)s, s.uid, s.stage, st.unattended, 'normal', 10,
                       s.created, s.created, 1, 1, s.created,
                       CASE WHEN st.closed THEN s.created + interval '5 hours' END
                  FROM ({common}) s JOIN helpdesk_ticket_stage st ON st.id = s.stage
            """, params)
        cr.commit()
        # What autovacuum does shortly after a bulk load; keeps the visibility map current.
        cr._cnx.autocommit = True
        cr._obj.execute("VACUUM ANALYZE helpdesk_ticket")
        cr._cnx.autocommit = False
        return {"rows": args.total}



def cmd_reads(args):
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        agents, team, customer = prepare(env_for(cr), args.kind)
        manager = env_for(cr)["res.users"].search([("login", "=", "bench_manager")])
        env = env_for(cr, manager.id)
        Ticket = env["helpdesk.ticket"]
        fields_list = ["name", "partner_id", "stage_id", "user_id", "team_id", "priority", "create_date"]
        fields_list.append("code" if args.kind == "ours" else "number")
        result = {}

        def measure(name, fn):
            env.invalidate_all()
            fn()  # warm-up
            env.invalidate_all()
            before = cr.sql_log_count
            fn()
            result[name + "_queries"] = cr.sql_log_count - before
            result[name] = timed(lambda: (env.invalidate_all(), fn()))

        domain = [("partner_id", "=", customer.id)]
        measure("search_read", lambda: Ticket.search_read(domain, fields_list, limit=80))
        measure("group_stage", lambda: Ticket.formatted_read_group([], ["stage_id"], ["__count"]))
        measure("group_user", lambda: Ticket.formatted_read_group([], ["user_id"], ["__count"]))
        if args.kind == "ours" and "helpdesk.ticket.report" in env:
            Report = env["helpdesk.ticket.report"]
            measure("report", lambda: Report.formatted_read_group([], ["create_date:month", "team_id"], ["__count"]))
            jakarta = Report.with_context(tz="Asia/Jakarta")
            measure("report_tz",
                    lambda: jakarta.formatted_read_group([], ["create_date:month", "team_id"], ["__count"]))
        else:
            measure("report", lambda: Ticket.formatted_read_group([], ["create_date:month", "team_id"], ["__count"]))
        cr.rollback()
    return result


def cmd_portal(args):
    """GET /my/tickets as the bench customer's portal user, from a server started here (--workers=0)."""
    import requests

    log_path = f"/tmp/bench_portal_{args.db}.log"
    if os.path.exists(log_path):
        os.remove(log_path)
    # info: the request log lines carry each request's query count
    server, base = start_server(args.db, log_path, log_level="info", timeout=60)
    try:
        session = requests.Session()
        page = session.get(f"{base}/web/login", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        session.post(f"{base}/web/login", data={"login": "bench_portal", "password": "bench_portal",
                                               "csrf_token": token, "redirect": "/my"}, timeout=30)
        for _ in range(3):  # warm-up (assets, caches)
            response = session.get(f"{base}/my/tickets", timeout=30)
            response.raise_for_status()
        with open(log_path) as fh:
            marker = sum(1 for _ in fh)
        latencies = []
        for _ in range(args.n):
            start = time.perf_counter()
            response = session.get(f"{base}/my/tickets", timeout=30)
            latencies.append(time.perf_counter() - start)
            response.raise_for_status()
        time.sleep(0.3)
        queries = []
        with open(log_path) as fh:
            for line in list(fh)[marker:]:
                match = re.search(r'"GET /my/tickets HTTP/1\.1" 200 - (\d+) ', line)
                if match:
                    queries.append(int(match.group(1)))
    finally:
        server.stop(timeout=20)
    latencies.sort()
    return {"median": statistics.median(latencies), "p95": latencies[int(len(latencies) * 0.95) - 1],
            "queries": statistics.median(queries) if queries else None}


def cmd_delete(args):
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        env = env_for(cr)
        manager = env["res.users"].search([("login", "=", "bench_manager")])
        tickets = env["helpdesk.ticket"].with_user(manager).search([], limit=args.n, order="id desc")
        count = len(tickets)
        start = time.perf_counter()
        tickets.unlink()
        env.flush_all()
        cr.commit()
        elapsed = time.perf_counter() - start
    return {"deleted": count, "seconds": elapsed}




WORKERS = {"create": cmd_create, "floor": cmd_floor, "fill": cmd_fill, "reads": cmd_reads, "portal": cmd_portal,
           "delete": cmd_delete}


# ----------------------------------------------------------------------------
# Orchestrator
# ----------------------------------------------------------------------------
def run(cmd, db, kind, **options):
    return run_worker(os.path.abspath(__file__), cmd, db, kind=kind, **options)


def run_channels(args):
    """SMS and CDR import figures from bench_channels.py (real gammu-smsd, Kamailio's tables)."""
    argv = [PY, os.path.join(REPO, "bench", "bench_channels.py"), "--db", args.ours, "--reps", str(args.reps)]
    if args.quick:
        argv.append("--quick")
    return run_json(argv)


def orchestrate(args):
    reps = args.reps
    table = Table()
    row = table.row
    single_n, batch_n = (100, 400) if args.quick else (500, 2000)
    created = {"ours": {"single": [], "batch": []}, "peer": {"single": [], "batch": []}}
    for _ in range(reps):
        for kind, db in (("ours", args.ours), ("peer", args.peer)):
            created[kind]["single"].append(run("create", db, kind, mode="single", n=single_n))
            created[kind]["batch"].append(run("create", db, kind, mode="batch", n=batch_n))
    for mode, n in (("single", single_n), ("batch", batch_n)):
        o, p = created["ours"][mode], created["peer"][mode]
        row(f"create {mode} ({n}): tickets/s", median_of(o, "rate"), median_of(p, "rate"))
        row(f"create {mode} ({n}): queries/ticket", median_of(o, "queries_per_ticket"),
            median_of(p, "queries_per_ticket"), "lower")
    floors = [run("floor", args.ours, "ours", n=batch_n) for _ in range(reps)]
    row("floor: plain SQL execute_values rows/s", median_of(floors, "execute_values"), None)
    row("floor: plain SQL COPY rows/s", median_of(floors, "copy"), None)

    total = 20_000 if args.quick else 100_000
    customer_n = 1_000
    for kind, db in (("ours", args.ours), ("peer", args.peer)):
        run("fill", db, kind, total=total, customer_n=customer_n)
    reads = {kind: run("reads", db, kind) for kind, db in (("ours", args.ours), ("peer", args.peer))}
    for key, label in (("search_read", "search_read 80 of customer's tickets"), ("group_stage", "read_group by stage"),
                       ("group_user", "read_group by assignee"), ("report", "report month x team")):
        row(f"{label} @{total:,}", reads["ours"][key], reads["peer"][key], "lower", "s")
        row(f"{label} @{total:,}: queries", reads["ours"][key + "_queries"], reads["peer"][key + "_queries"], "lower")
    portal = {kind: run("portal", db, kind, n=20 if args.quick else 50)
              for kind, db in (("ours", args.ours), ("peer", args.peer))}
    row(f"portal /my/tickets @{total:,}: median", portal["ours"]["median"], portal["peer"]["median"], "lower", "s")
    row(f"portal /my/tickets @{total:,}: p95", portal["ours"]["p95"], portal["peer"]["p95"], "lower", "s")
    row(f"portal /my/tickets @{total:,}: queries/request", portal["ours"]["queries"], portal["peer"]["queries"],
        "lower")
    channels = run_channels(args)
    for key, label, unit, better in (
        ("sms_import_{n}_messages_per_s", "SMS import {n} inbox rows: messages/s (ours)", "", "higher"),
        ("sms_import_{n}_2_importers_messages_per_s", "SMS import {n} inbox rows, 2 importers at once: messages/s "
         "(ours)", "", "higher"),
        ("sms_import_{n}_queries_per_message", "SMS import {n} inbox rows: queries/message (ours)", "", "lower"),
        ("sms_latency_{m}_median_s", "SMS modem folder -> ticket, {m} SMS: median (ours)", "s", "lower"),
        ("sms_latency_{m}_p95_s", "SMS modem folder -> ticket, {m} SMS: p95 (ours)", "s", "lower"),
        ("cdr_import_{n}_rows_per_s", "CDR import {n} acc_cdrs rows: rows/s (ours)", "", "higher"),
    ):
        n, m = (2_000, 20) if args.quick else (10_000, 50)
        value = channels.get(key.format(n=n, m=m))
        row(label.format(n=f"{n:,}", m=m), value, None, better, unit)
    delete = run("delete", args.ours, "ours", n=min(total, 100_000))
    row(f"delete {delete['deleted']:,} tickets (ours; peer ≈9 min per issue #7)", delete["seconds"], None, "lower",
        "s")
    big = 200_000 if args.quick else 1_000_000
    run("fill", args.ours, "ours", total=big, customer_n=customer_n)
    big_reads = run("reads", args.ours, "ours")
    for key, label in (("group_stage", "read_group by stage"), ("group_user", "read_group by assignee"),
                       ("report", "report month x team"), ("report_tz", "report month x team, user in Asia/Jakarta"),
                       ("search_read", "search_read 80 of customer's tickets")):
        row(f"{label} @{big:,} (ours)", big_reads[key], None, "lower", "s")
    table.write_results(args)


def worker_options(parser):
    parser.add_argument("--kind", choices=["ours", "peer"], required=True)
    parser.add_argument("--mode", default="single")
    for name in ("n", "total", "customer-n"):
        parser.add_argument(f"--{name}", type=int, default=0)


def options(parser):
    parser.add_argument("--ours", default="bench_ours")
    parser.add_argument("--peer", default="bench_peer")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller volumes, for a smoke run")


if __name__ == "__main__":
    main(__doc__, WORKERS, worker_options, options, orchestrate)
