"""Knowledge base: article search (helpdesk.kb.article._search_articles) at 10,000 articles, and the
portal new-ticket form's suggestion endpoint (/helpdesk/help/suggest) while 1,000,000 tickets exist.

    python bench/bench_kb.py --db bench_kb [--quick]

The database needs helpdesk_ticketing installed (e.g. createdb -T hd_kb bench_kb). Articles and tickets
are added by SQL (tickets with bench.py's filler), then each measurement runs in its own subprocess.
"""
import os
import random
import statistics
import time

from common import env_for, main, registry_for, run_worker, start_server

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench.py")
# What customers type: common Indonesian words (in every article), rarer ones, accents, half-typed words.
QUERIES = [
    "printer tidak bisa mencetak", "printer paper jam", "reset password email", "vpn putus", "wifi lambat",
    "perbaikán jaringan", "monitor berkedip", "mesin kasir hang", "laptop mati total", "akun terkunci",
    "kertas tersangkut di printer", "tidak bisa login", "jaringan kantor cabang", "struk tidak keluar",
    "email tidak sinkron", "kata1234", "server lambat sekali", "komputer restart sendiri", "pri", "jaringan lamb",
]
TOPICS = ["printer", "kertas", "jaringan", "vpn", "wifi", "password", "email", "monitor", "laptop", "kasir",
          "struk", "server", "akun", "login", "router", "kabel", "perbaikan", "baterai", "keyboard", "scanner"]
COMMON = ["yang", "tidak", "bisa", "dan", "di", "untuk", "dengan", "saat", "sudah", "cara", "the", "does", "not"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * fraction)) - 1)]


def cmd_articles(args):
    """Brings the published articles to args.n (one in ten internal, one in twenty a draft) by SQL."""
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM helpdesk_kb_article")
        have = cr.fetchone()[0]
        missing = args.n - have
        if missing > 0:
            cr.execute("""
                WITH g AS (
                    SELECT g,
                           (%(topics)s::text[])[1 + g %% 20] AS t1, (%(topics)s::text[])[1 + (g / 20) %% 20] AS t2,
                           (%(common)s::text[])[1 + g %% 13] AS c1, (%(common)s::text[])[1 + (g / 13) %% 13] AS c2,
                           'kata' || ((g::bigint * 7919) %% 5000) AS rare
                      FROM generate_series(%(base)s + 1, %(base)s + %(n)s) g
                ), t AS (
                    SELECT g, initcap(t1) || ' ' || c1 || ' ' || t2 || ' ' || rare AS name,
                           -- real Indonesian text: the most common words are in nearly every article
                           'Masalah yang sering terjadi: ' || t1 || ' tidak bisa dipakai di kantor dan untuk '
                           || 'pelanggan dengan ' || t2 || '. '
                           || repeat(c1 || ' ' || t1 || ' ' || c2 || ' ' || t2 || ' ' || rare || ' langkah ' || g
                                     || ' periksa ' || t2 || ' lalu coba lagi. ', 8) AS body
                      FROM g
                )
                INSERT INTO helpdesk_kb_article (name, body, body_text, lang, visibility, state, company_id,
                    published_date, create_date, write_date, create_uid, write_uid)
                SELECT name, '<p>' || body || '</p>', body, CASE WHEN g %% 3 = 0 THEN 'en_US' ELSE 'id_ID' END,
                       CASE WHEN g %% 10 = 0 THEN 'internal' ELSE 'public' END,
                       CASE WHEN g %% 20 = 0 THEN 'draft' ELSE 'published' END, 1,
                       now() at time zone 'utc', now() at time zone 'utc', now() at time zone 'utc', 1, 1
                  FROM t
            """, {"topics": TOPICS, "common": COMMON, "base": have, "n": missing})
            cr.commit()
            cr._cnx.autocommit = True
            cr._obj.execute("VACUUM ANALYZE helpdesk_kb_article")
            cr._cnx.autocommit = False
        cr.execute("SELECT count(*) FROM helpdesk_kb_article")
        return {"articles": cr.fetchone()[0]}


def cmd_search(args):
    """_search_articles as the bench's portal customer and as an agent, every query args.reps times."""
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        env = env_for(cr)
        users = {
            "portal": env["res.users"].search([("login", "=", "bench_portal")]),
            "agent": env["res.users"].search([("login", "=", "bench_agent_0")]),
        }
        result = {}
        for role, user in users.items():
            Article = env_for(cr, user.id)["helpdesk.kb.article"]
            for query in QUERIES:  # warm-up
                Article._search_articles(query, limit=10)
            latencies = []
            for _ in range(args.reps):
                for query in QUERIES:
                    start = time.perf_counter()
                    Article._search_articles(query, limit=10)
                    latencies.append(time.perf_counter() - start)
            result[f"{role}_median"] = statistics.median(latencies)
            result[f"{role}_p95"] = percentile(latencies, 0.95)
            result[f"{role}_max"] = max(latencies)
        cr.rollback()
    return result


def cmd_suggest(args):
    """POST /helpdesk/help/suggest as the bench's portal customer, from a server started here."""
    import re

    import requests

    # info: the request log lines carry each request's query count and SQL time
    server, base = start_server(args.db, f"/tmp/bench_kb_{args.db}.log", log_level="info")
    try:
        session = requests.Session()
        page = session.get(f"{base}/web/login", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        session.post(f"{base}/web/login", data={"login": "bench_portal", "password": "bench_portal",
                                               "csrf_token": token, "redirect": "/my"}, timeout=30)

        def suggest(query):
            response = session.post(f"{base}/helpdesk/help/suggest", timeout=30,
                                    json={"jsonrpc": "2.0", "method": "call", "params": {"query": query}})
            response.raise_for_status()
            if "error" in response.json():
                raise RuntimeError(response.json()["error"])

        for query in QUERIES:  # warm-up
            suggest(query)
        latencies = []
        rng = random.Random(13)
        for _ in range(args.reps):
            for query in QUERIES:
                # The form asks while the customer types: a prefix of the subject.
                typed = query[: rng.randint(min(4, len(query)), len(query))]
                start = time.perf_counter()
                suggest(typed)
                latencies.append(time.perf_counter() - start)
    finally:
        server.stop(timeout=20)
    return {"median": statistics.median(latencies), "p95": percentile(latencies, 0.95), "max": max(latencies),
            "requests": len(latencies)}


WORKERS = {"articles": cmd_articles, "search": cmd_search, "suggest": cmd_suggest}


def orchestrate(args):
    script = os.path.abspath(__file__)
    articles, tickets = (1_000, 20_000) if args.quick else (args.articles, args.tickets)
    # bench.py's filler also makes the bench users (agents, the portal customer bench_portal).
    run_worker(BENCH, "fill", args.db, kind="ours", total=tickets, customer_n=1_000)
    count = run_worker(script, "articles", args.db, n=articles)["articles"]
    search = run_worker(script, "search", args.db, reps=args.reps)
    suggest = run_worker(script, "suggest", args.db, reps=args.reps)
    ms = 1000
    print(f"article search @{count:,} articles, {len(QUERIES) * args.reps} searches per role:")
    for role in ("portal", "agent"):
        print(f"  {role:<7} median {search[f'{role}_median'] * ms:6.1f} ms   p95 {search[f'{role}_p95'] * ms:6.1f} ms"
              f"   max {search[f'{role}_max'] * ms:6.1f} ms")
    print(f"portal suggestion endpoint @{tickets:,} tickets, {suggest['requests']} requests over HTTP:")
    print(f"  median {suggest['median'] * ms:6.1f} ms   p95 {suggest['p95'] * ms:6.1f} ms"
          f"   max {suggest['max'] * ms:6.1f} ms")


def worker_options(parser):
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--reps", type=int, default=5)


def options(parser):
    parser.add_argument("--db", default="bench_kb")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="1,000 articles and 20,000 tickets, for a smoke run")


if __name__ == "__main__":
    main(__doc__, WORKERS, worker_options, options, orchestrate)
