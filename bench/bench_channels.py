"""Benchmark the SMS and CDR channels (issue #7, items 5 and 6) on one database of ours.

- SMS import: N rows in gammu's ``inbox`` imported into contacts, tickets and SMS (messages/s);
- SMS latency: a real gammu-smsd on the dummy phone, RunOnReceive calling a real Odoo server:
  seconds from the SMS appearing in the dummy modem's folder to its ticket existing (median, p95);
- CDR import: N rows of Kamailio's ``acc_cdrs`` imported into the call log (rows/s).

Each measurement runs in its own subprocess; gammu's and Kamailio's databases are created for it
(names starting with ``hd_bench2``) and dropped afterwards, programs are started on 127.0.0.1 and
stopped by PID. Prints ``name value`` lines, then one JSON line with every figure.

    /opt/odoo-venv/bin/python bench/bench_channels.py --db hd_bench2 [--quick] [--reps 3]
"""
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import PY, env_for, main, median_of, profiled, registry_for, run_worker, start_server

SOCKET = "/var/run/postgresql"
DB_PREFIX = "hd_bench2"
TMP_PREFIX = "hd_bench2_"
TEXTS = (
    "Printer kantor cabang {i} tidak bisa mencetak\nKertas macet terus sejak pagi.",
    "Internet putus di lantai {i}, mohon dicek",
    "Email tidak masuk sejak kemarin (ref {i})",
    "Aplikasi kasir error saat tutup shift nomor {i}. Mohon bantuan segera ✓",
)


# ----------------------------------------------------------------------------
# Gammu's and Kamailio's databases, the bench team, clean-up
# ----------------------------------------------------------------------------
def admin_sql(sql):
    import psycopg2

    conn = psycopg2.connect(host=SOCKET, dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(sql)
    finally:
        conn.close()


def temp_database(kind):
    name = f"{DB_PREFIX}_{kind}_{secrets.token_hex(4)}"
    admin_sql(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name):
    assert name.startswith(DB_PREFIX)
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(env):
    """Last ids before the run: what the run creates is removed afterwards."""
    return {model: env[model].with_context(active_test=False).search([], order="id desc", limit=1).id or 0
            for model in ("helpdesk.ticket", "res.partner", "helpdesk.sms.message", "sms.sms", "helpdesk.voip.call")}


def cleanup(registry, marks, gateway_ids=(), pbx_ids=(), team_ids=()):
    with registry.cursor() as cr:
        env = env_for(cr)
        env["helpdesk.sms.message"].search([("id", ">", marks["helpdesk.sms.message"])]).unlink()
        env["sms.sms"].search([("id", ">", marks["sms.sms"])]).unlink()
        env["helpdesk.voip.call"].search([("id", ">", marks["helpdesk.voip.call"])]).unlink()
        env["helpdesk.ticket"].with_context(active_test=False).search(
            [("id", ">", marks["helpdesk.ticket"])]).unlink()
        env["helpdesk.team"].browse(team_ids).write({"sms_gateway_id": False})
        env["helpdesk.sms.gateway"].browse(gateway_ids).unlink()
        env["helpdesk.voip.pbx"].browse(pbx_ids).unlink()
        env["helpdesk.team"].browse(team_ids).unlink()
        # Contacts the run created; the bench agents (users) stay for the next repetition.
        env["res.partner"].with_context(active_test=False).search(
            [("id", ">", marks["res.partner"]), ("user_ids", "=", False)]).unlink()


def bench_team(env, name):
    """A round-robin team of three agents that acknowledges new tickets by SMS, as in production."""
    Users = env["res.users"].with_context(no_reset_password=True)
    agents = Users.search([("login", "like", "bench_sms_agent_%")], order="login")
    if not agents:
        agents = Users.create([{
            "name": f"Bench SMS Agent {i}", "login": f"bench_sms_agent_{i}", "email": f"sms{i}@bench.example.co.id",
            "group_ids": [(6, 0, [env.ref("helpdesk_ticketing.group_helpdesk_user").id])],
            "notification_type": "inbox",
        } for i in range(3)])
    return env["helpdesk.team"].create({
        "name": name, "assignment_method": "round_robin", "sms_notify_created": True,
        "member_line_ids": [(0, 0, {"user_id": u.id}) for u in agents],
    })


def create_gammu_db():
    import psycopg2
    from hd_sms_support import load_schema

    name = temp_database("gammu")
    conn = psycopg2.connect(host=SOCKET, dbname=name)
    with conn, conn.cursor() as cr:
        cr.execute(load_schema())
    conn.close()
    return name


def create_gateway(env, gammu_name):
    """After a snapshot for cleanup(), a bench team and its modem on gammu_name: (marks, team, gateway)."""
    from hd_sms_support import PHONE_ID

    marks = snapshot(env)
    team = bench_team(env, f"Bench SMS {gammu_name}")
    gateway = env["helpdesk.sms.gateway"].create({
        "name": f"Bench modem {gammu_name}", "dsn": f"host={SOCKET} dbname={gammu_name}", "phone_id": PHONE_ID,
        "team_id": team.id, "country_id": env.ref("base.id").id, "polling": False, "delivery_report": False,
    })
    team.sms_gateway_id = gateway
    return marks, team, gateway


# ----------------------------------------------------------------------------
# Workers
# ----------------------------------------------------------------------------
def cmd_sms_import(args):
    """N inbox rows as gammu-smsd writes them: 2,000 senders (a quarter known contacts), 5% naming a ticket,
    2% two-part concatenated SMS; the import runs as the cron / RunOnReceive runs it (_import_inbox)."""
    import psycopg2
    from hd_sms_support import PHONE_ID
    from psycopg2.extras import execute_values

    from odoo import sql_db

    registry = registry_for(args.db)
    gammu_name = create_gammu_db()
    try:
        with registry.cursor() as cr:
            env = env_for(cr)
            marks, team, gateway = create_gateway(env, gammu_name)
            senders = [f"0812{7000_0000 + i:08d}" for i in range(2000)]
            contacts = env["res.partner"].create([{"name": f"Pelanggan SMS {i}", "phone": senders[i]}
                                                  for i in range(0, 2000, 4)])
            known = env["helpdesk.ticket"].create([{  # open tickets of known contacts, which their SMS name
                "name": f"Tiket lama {i}", "partner_id": contacts[i].id, "team_id": team.id,
            } for i in range(50)])
            codes = known.mapped("code")
            gateway_id, team_id = gateway.id, team.id
            cr.commit()
        rows, i = [], 0
        while len(rows) < args.n:
            sender = senders[i % len(senders)] if i % 20 != 3 else senders[4 * (i % len(codes))]
            if i % 50 == 7 and len(rows) + 2 <= args.n:  # two-part SMS
                ref = f"{i % 255 + 1:02X}"
                for seq, part in ((1, f"Mohon bantuan, server gudang {i} mati total sejak "), (2, "jam 7 pagi.")):
                    rows.append((sender, part, f"050003{ref}02{seq:02d}", "Default_No_Compression"))
            else:
                text = f"{codes[i % len(codes)]} masih belum beres" if i % 20 == 3 else TEXTS[i % 4].format(i=i)
                rows.append((sender, text, "", "Default_No_Compression"))
            i += 1
        conn = psycopg2.connect(host=SOCKET, dbname=gammu_name)
        with conn, conn.cursor() as gcr:
            execute_values(gcr, 'INSERT INTO inbox ("SenderNumber", "Text", "UDH", "Coding", "TextDecoded", '
                           '"RecipientID") VALUES %s',
                           [(s, t.encode("utf-16-be").hex().upper(), u, c, t, PHONE_ID) for s, t, u, c in rows],
                           page_size=1000)
        conn.close()
        if args.importers > 1:
            imported, elapsed, cpu, queries = parallel_import(args, gateway_id)
        else:
            with registry.cursor() as cr:
                env = env_for(cr)
                gateway = env["helpdesk.sms.gateway"].browse(gateway_id)
                queries, cpu, start = sql_db.sql_counter, time.process_time(), time.perf_counter()
                imported = profiled(gateway._import_inbox)
                elapsed = time.perf_counter() - start
                cpu, queries = time.process_time() - cpu, sql_db.sql_counter - queries
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE sms_gateway_id = %s", [gateway_id])
            tickets = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM sms_sms WHERE gammu_gateway_id = %s AND state = 'process'",
                       [gateway_id])
            acknowledged = cr.fetchone()[0]
        conn = psycopg2.connect(host=SOCKET, dbname=gammu_name)
        with conn, conn.cursor() as gcr:
            gcr.execute('SELECT count(*) FILTER (WHERE NOT "Processed"), count(*) FROM inbox')
            left, total = gcr.fetchone()
            gcr.execute("SELECT count(*) FROM outbox")
            outbox = gcr.fetchone()[0]
        conn.close()
        assert left == 0, f"{left} of {total} inbox rows not imported"
        # Each new ticket's acknowledgement (and the 50 set-up tickets') went to gammu after its batch committed.
        assert acknowledged == outbox == tickets + len(codes), (acknowledged, outbox, tickets)
        cleanup(registry, marks, [gateway_id], [], [team_id])
    finally:
        drop_database(gammu_name)
    return {"rows": len(rows), "sms": imported, "tickets": tickets, "seconds": elapsed,
            "rate": imported / elapsed, "cpu_ms": cpu * 1000 / imported, "queries": queries / imported}


def parallel_import(args, gateway_id):
    """args.importers processes run the gateway's import at once, as Odoo workers (cron, RunOnReceive
    requests) do: each loads its registry first, then all start together; the rate counts from the
    first start to the last end. Returns (imported, seconds, CPU seconds, queries) summed."""
    children = [
        subprocess.Popen([PY, os.path.abspath(__file__), "worker", "sms-import-run", "--db", args.db,
                          "--n", str(gateway_id)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(args.importers)
    ]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for child in children:
        out, _err = child.communicate(timeout=1800)
        if child.returncode:
            raise SystemExit(f"importer failed ({child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    return (sum(r["imported"] for r in results), elapsed, sum(r["cpu"] for r in results),
            sum(r["queries"] for r in results))


def cmd_sms_import_run(args):
    """One importer of parallel_import: the gateway's ID comes in --n; waits for "go" on stdin."""
    from odoo import sql_db

    registry = registry_for(args.db)
    with registry.cursor() as cr:
        gateway = env_for(cr)["helpdesk.sms.gateway"].browse(args.n)
        gateway.name  # noqa: B018 (loads the record before the start)
        print("ready", flush=True)
        sys.stdin.readline()
        queries, cpu, start = sql_db.sql_counter, time.process_time(), time.time()
        # Until a run finds nothing: a multipart SMS whose parts the other importer held waits for
        # the next run (as the next cron or RunOnReceive call takes it in production).
        imported = 0
        while created := gateway._import_inbox():
            imported += created
        end = time.time()
    return {"imported": imported, "start": start, "end": end, "cpu": time.process_time() - cpu,
            "queries": sql_db.sql_counter - queries}


def cmd_sms_latency(args):
    """Real gammu-smsd (dummy phone) → inbox → RunOnReceive → Odoo endpoint → ticket, one SMS at a time."""
    import psycopg2
    from e2e_support import Program
    from hd_sms_support import PHONE_ID, Modem, smsd_config

    registry = registry_for(args.db)
    gammu_name = create_gammu_db()
    tmp = tempfile.mkdtemp(prefix=TMP_PREFIX)
    programs = []
    try:
        with registry.cursor() as cr:
            env = env_for(cr)
            marks, team, gateway = create_gateway(env, gammu_name)
            gateway_id, team_id, token = gateway.id, team.id, gateway.token
            cr.commit()
        registry = None  # the server below serves the database; this process only reads it by SQL
        server, base = start_server(args.db, os.path.join(tmp, "odoo.log"))
        programs.append(server)
        phone = os.path.join(tmp, "phone")
        os.mkdir(phone)
        token_file = os.path.join(tmp, "token")
        with open(token_file, "w") as fh:
            fh.write(token)
        os.chmod(token_file, 0o600)
        config = os.path.join(tmp, "smsdrc")
        with open(config, "w") as fh:
            fh.write(smsd_config(phone, gammu_name, f"{base}/helpdesk_sms/gateway/{gateway_id}/received",
                                 token_file))
        smsd = Program([shutil.which("gammu-smsd") or "/usr/bin/gammu-smsd", "-c", config],
                       log_path=os.path.join(tmp, "smsd.log"))
        programs.append(smsd)
        gammu = psycopg2.connect(host=SOCKET, dbname=gammu_name)
        gammu.autocommit = True
        deadline = time.monotonic() + 30
        with gammu.cursor() as gcr:
            while True:
                gcr.execute('SELECT 1 FROM phones WHERE "ID" = %s', [PHONE_ID])
                if gcr.fetchone():
                    break
                if time.monotonic() > deadline or not smsd.alive():
                    raise RuntimeError(f"gammu-smsd did not start:\n{smsd.log()}")
                time.sleep(0.1)
        gammu.close()
        modem = Modem(Path(tmp), config)
        odoo_db = psycopg2.connect(host=SOCKET, dbname=args.db)
        odoo_db.autocommit = True
        latencies = []
        with odoo_db.cursor() as ocr:
            for i in range(args.n + 2):  # two warm-up SMS
                name = f"Bench latency {i} {secrets.token_hex(3)}"
                modem.deliver(f"0812{5000_0000 + i:08d}", [f"{name}\nLayar laptop berkedip."])
                start = time.monotonic()  # the SMS is in the dummy modem's folder now
                while True:
                    ocr.execute("SELECT 1 FROM helpdesk_ticket WHERE sms_gateway_id = %s AND name = %s",
                                [gateway_id, name])
                    if ocr.fetchone():
                        break
                    if time.monotonic() - start > 30:
                        raise RuntimeError(f"no ticket 30 s after SMS {i}:\n{smsd.log()[-3000:]}")
                    time.sleep(0.01)
                if i >= 2:
                    latencies.append(time.monotonic() - start)
        odoo_db.close()
        for program in reversed(programs):
            program.stop()
        programs = []
        cleanup(registry_for(args.db), marks, [gateway_id], [], [team_id])
    finally:
        for program in reversed(programs):
            program.stop()
        drop_database(gammu_name)
        shutil.rmtree(tmp, ignore_errors=True)
    latencies.sort()
    return {"n": len(latencies), "median": statistics.median(latencies),
            "p95": latencies[max(0, int(round(len(latencies) * 0.95)) - 1)], "max": latencies[-1]}


KAMAILIO_SCHEMA = "/usr/share/kamailio/postgres"
KAMAILIO_VERSION_TABLE = "CREATE TABLE version (table_name varchar(32) NOT NULL, table_version integer NOT NULL);"
KAMAILIO_EXTRA = """
    ALTER TABLE acc_cdrs ADD COLUMN callid varchar(255) NOT NULL DEFAULT '',
                         ADD COLUMN src_user varchar(64) NOT NULL DEFAULT '',
                         ADD COLUMN dst_user varchar(64) NOT NULL DEFAULT '';
    ALTER TABLE missed_calls ADD COLUMN src_user varchar(64) NOT NULL DEFAULT '',
                             ADD COLUMN dst_user varchar(64) NOT NULL DEFAULT '';
"""


def cmd_cdr_import(args):
    """N acc_cdrs rows (agents on extensions 2001-2010, 3,000 customer numbers of which a third are
    contacts, 10% unanswered) imported as the cron does, 1,000 rows per transaction."""
    import psycopg2
    from psycopg2.extras import execute_values

    from odoo import sql_db

    registry = registry_for(args.db)
    kam_name = temp_database("kam")
    try:
        with open(os.path.join(KAMAILIO_SCHEMA, "acc-create.sql")) as fh:
            schema = KAMAILIO_VERSION_TABLE + fh.read()
        conn = psycopg2.connect(host=SOCKET, dbname=kam_name)
        with conn, conn.cursor() as kcr:
            kcr.execute(schema + KAMAILIO_EXTRA)
            base = datetime(2026, 11, 2, 8, 0)
            rows = []
            for i in range(args.n):
                customer = f"+62812{8000_0000 + i % 3000:08d}"
                agent = f"{2001 + i % 10}"
                start = base + timedelta(seconds=37 * i)
                duration = 0 if i % 10 == 0 else 30 + i % 600
                src, dst = (agent, customer) if i % 3 == 0 else (customer, agent)
                rows.append((f"bench-{i}-{secrets.token_hex(4)}@127.0.0.1", src, dst, start,
                             start + timedelta(seconds=duration), duration))
            execute_values(kcr, "INSERT INTO acc_cdrs (callid, src_user, dst_user, start_time, end_time, duration) "
                           "VALUES %s", rows, page_size=1000)
        conn.close()
        with registry.cursor() as cr:
            env = env_for(cr)
            Users = env["res.users"].with_context(no_reset_password=True)
            for ext in range(2001, 2011):
                if not Users.search_count([("sip_extension", "=", str(ext))]):
                    Users.create({"name": f"Bench Phone Agent {ext}", "login": f"bench_phone_{ext}",
                                  "sip_extension": str(ext),
                                  "group_ids": [(6, 0, [env.ref("helpdesk_ticketing.group_helpdesk_user").id])]})
            marks = snapshot(env)
            env["res.partner"].create([{"name": f"Penelepon {i}", "phone": f"+62812{8000_0000 + i:08d}"}
                                       for i in range(0, 3000, 3)])
            pbx = env["helpdesk.voip.pbx"].create({"name": f"Bench {kam_name}", "kind": "kamailio",
                                                   "dsn": f"host={SOCKET} dbname={kam_name}"})
            pbx_id = pbx.id
            cr.commit()
        with registry.cursor() as cr:
            env = env_for(cr)
            pbx = env["helpdesk.voip.pbx"].browse(pbx_id)

            def import_all():
                while True:  # what the cron does, one batch per run, until nothing is left
                    if not pbx._import_cdrs(batch_size=1000):
                        break
                    cr.commit()
                cr.commit()

            queries, cpu, start = sql_db.sql_counter, time.process_time(), time.perf_counter()
            profiled(import_all)
            elapsed = time.perf_counter() - start
            cpu, queries = time.process_time() - cpu, sql_db.sql_counter - queries
            cr.execute("SELECT count(*), count(partner_id), count(user_id) FROM helpdesk_voip_call WHERE pbx_id = %s",
                       [pbx_id])
            calls, with_partner, with_agent = cr.fetchone()
        assert calls == args.n, f"{calls} calls for {args.n} CDRs"
        cleanup(registry, marks, [], [pbx_id], [])
    finally:
        drop_database(kam_name)
    return {"rows": args.n, "seconds": elapsed, "rate": args.n / elapsed, "cpu_ms": cpu * 1000 / args.n,
            "queries": queries / args.n, "with_partner": with_partner,
            "with_agent": with_agent}


WORKERS = {"sms-import": cmd_sms_import, "sms-import-run": cmd_sms_import_run, "sms-latency": cmd_sms_latency,
           "cdr-import": cmd_cdr_import}


# ----------------------------------------------------------------------------
# Orchestrator
# ----------------------------------------------------------------------------
def run(cmd, db, **options):
    return run_worker(os.path.abspath(__file__), cmd, db, **options)


def orchestrate(args):
    n = 2000 if args.quick else args.n
    results = {}

    def emit(name, value):
        results[name] = round(value, 4) if isinstance(value, float) else value
        print(f"{name} {results[name]}", flush=True)

    if "sms" in args.only:
        runs = [run("sms-import", args.db, n=n, importers=2) for _ in range(args.reps)]
        emit(f"sms_import_{n}_2_importers_messages_per_s", median_of(runs, "rate"))
        runs = [run("sms-import", args.db, n=n) for _ in range(args.reps)]
        emit(f"sms_import_{n}_messages_per_s", median_of(runs, "rate"))
        emit(f"sms_import_{n}_seconds", median_of(runs, "seconds"))
        emit(f"sms_import_{n}_odoo_cpu_ms_per_message", median_of(runs, "cpu_ms"))
        emit(f"sms_import_{n}_queries_per_message", median_of(runs, "queries"))
        emit(f"sms_import_{n}_tickets", runs[0]["tickets"])
        latency = run("sms-latency", args.db, n=20 if args.quick else args.latency_n)
        emit(f"sms_latency_{latency['n']}_median_s", latency["median"])
        emit(f"sms_latency_{latency['n']}_p95_s", latency["p95"])
        emit(f"sms_latency_{latency['n']}_max_s", latency["max"])
    if "cdr" in args.only:
        runs = [run("cdr-import", args.db, n=n) for _ in range(args.reps)]
        emit(f"cdr_import_{n}_rows_per_s", median_of(runs, "rate"))
        emit(f"cdr_import_{n}_seconds", median_of(runs, "seconds"))
        emit(f"cdr_import_{n}_odoo_cpu_ms_per_row", median_of(runs, "cpu_ms"))
        emit(f"cdr_import_{n}_queries_per_row", median_of(runs, "queries"))
    print(json.dumps(results))


def worker_options(parser):
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--importers", type=int, default=1)


def options(parser):
    parser.add_argument("--db", default="bench_ours", help="a database with helpdesk_sms and helpdesk_voip")
    parser.add_argument("--n", type=int, default=10_000, help="inbox rows and CDRs per import")
    parser.add_argument("--latency-n", type=int, default=50, help="SMS timed end to end")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the imports (median)")
    parser.add_argument("--only", default="sms,cdr", help="sms, cdr or both (comma-separated)")
    parser.add_argument("--quick", action="store_true", help="2,000 rows, 20 SMS timed, for a smoke run")


if __name__ == "__main__":
    main(__doc__, WORKERS, worker_options, options, orchestrate)
