"""Server time of each action the load scenario shares with the peer, one request at a time, in-process
(Odoo's WSGI application, no network, no other load), next to the lightest request of the same kind:
reading one field of a ticket over JSON-RPC (the agent's actions) and a portal page with nothing but
Odoo's layout (the customer's). No page can cost less than that lightest request, so it bounds the ratio
ours / peer an action can reach.

    python bench/load/serve_times.py                       # both databases of bench/load.sh, a table
    python bench/load/serve_times.py --db load_ours --kind ours --json   # one database (used by the above)

The databases are those of bench/load.sh (its agents, customers and tickets); each request is timed
--repeat times after a warm-up, the table shows the medians. Replies and new tickets are written: run it
on the load databases only.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import time

from view_spec import specification

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}
CONTEXT = {"lang": "en_US", "tz": "Asia/Jakarta", "bin_size": True}


def measure(db, kind, repeat):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from common import registry_for  # noqa: PLC0415 (Odoo is importable once common set the path)

    registry_for(db)
    from odoo.tools import config  # noqa: PLC0415
    config["dbfilter"] = f"^{db}$"
    from werkzeug.test import Client  # noqa: PLC0415

    from odoo import http  # noqa: PLC0415

    ours = kind == "ours"

    def log_in(login):
        client = Client(http.root)
        page = client.get("/web/login", environ_base=ENVIRON).get_data(as_text=True)
        response = client.post("/web/login", environ_base=ENVIRON, data={
            "login": login, "password": login, "csrf_token": CSRF.search(page).group(1)})
        assert response.status_code in (302, 303), f"{login} cannot log in"
        return client

    def rpc(client, url, params):
        body = client.post(url, environ_base=ENVIRON,
                           json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).get_json()
        assert "error" not in body, body["error"]
        return body["result"]

    def call(client, method, args, kwargs):
        return rpc(client, f"/web/dataset/call_kw/helpdesk.ticket/{method}", {
            "model": "helpdesk.ticket", "method": method, "args": args, "kwargs": {**kwargs, "context": CONTEXT}})

    def get(client, url, status=200):
        response = client.get(url, environ_base=ENVIRON)
        assert response.status_code == status, f"{url}: HTTP {response.status_code}"
        return response.get_data(as_text=True)

    results = {}

    def time_it(name, request):
        for _ in range(3):
            request()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            request()
            times.append((time.perf_counter() - start) * 1000)
        results[name] = sorted(times)[len(times) // 2]

    agent = log_in("load_agent_0")
    views = call(agent, "get_views", [], {"views": [[False, "list"], [False, "form"]], "options": {}})
    models = views["models"]
    list_spec = specification(views["views"]["list"]["arch"], models, "helpdesk.ticket")
    form_spec = specification(views["views"]["form"]["arch"], models, "helpdesk.ticket")
    queue = [["is_closed", "=", False]] if ours else [["closed", "=", False]]
    ids = [r["id"] for r in call(agent, "web_search_read", [], {
        "specification": {}, "domain": queue, "limit": 80})["records"]]
    time_it("agent: lightest request (one field of a ticket)", lambda: call(
        agent, "web_read", [[random.choice(ids)]], {"specification": {"display_name": {}}}))
    time_it("agent: open the queue", lambda: call(agent, "web_search_read", [], {
        "specification": list_spec, "domain": queue, "offset": 0, "limit": 80, "order": "", "count_limit": 10001}))
    time_it("agent: open a ticket", lambda: call(
        agent, "web_read", [[random.choice(ids)]], {"specification": form_spec}))
    time_it("agent: reply", lambda: rpc(agent, "/mail/message/post", {
        "thread_model": "helpdesk.ticket", "thread_id": random.choice(ids),
        "post_data": {"body": "Sudah kami cek.", "message_type": "comment", "subtype_xmlid": "mail.mt_comment",
                      "partner_ids": []}, "context": CONTEXT}))

    customer = log_in("load_portal_0")
    own = sorted(set(map(int, re.findall(r'href="/my/tickets?/(\d+)', get(customer, "/my/tickets")))))
    page = "/my/tickets/{}" if ours else "/my/ticket/{}"
    form_url, post_url = ("/my/tickets/new", "/my/tickets/new") if ours else ("/new/ticket", "/submitted/ticket")
    time_it("portal: lightest page (the layout only)", lambda: get(customer, "/my/no-such-page", 404))
    time_it("portal: list", lambda: get(customer, "/my/tickets"))
    time_it("portal: open", lambda: get(customer, page.format(random.choice(own))))
    time_it("portal: reply", lambda: rpc(customer, "/mail/message/post", {
        "thread_model": "helpdesk.ticket", "thread_id": random.choice(own),
        "post_data": {"body": "Terima kasih.", "message_type": "comment", "subtype_xmlid": "mail.mt_comment"}}))
    time_it("portal: new ticket form", lambda: get(customer, form_url))
    token = CSRF.search(get(customer, form_url)).group(1)

    def create():
        data = {"csrf_token": token, "description": "Kertas macet terus sejak kemarin."}
        data.update({"name": "Printer kantor"} if ours else {"subject": "Printer kantor"})
        response = customer.post(post_url, data=data, environ_base=ENVIRON)
        assert response.status_code in (302, 303), f"create: HTTP {response.status_code}"

    time_it("portal: create", create)
    return results


def table(ours, peer):
    lines = [
        "| action | ours ms | peer ms | ours / peer | lowest ours / peer possible |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, value in ours.items():
        kind = name.split(":")[0]
        floor = ours[next(n for n in ours if n.startswith(f"{kind}: lightest"))]
        if "lightest" in name:
            lines.append(f"| {name} | {value:.1f} | {peer[name]:.1f} | {value / peer[name]:.2f} | |")
        else:
            lines.append(f"| {name} | {value:.1f} | {peer[name]:.1f} | {value / peer[name]:.2f} | "
                         f"{floor / peer[name]:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--kind", choices=["ours", "peer"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--ours-db", default=os.environ.get("LOAD_OURS_DB", "load_ours"))
    parser.add_argument("--peer-db", default=os.environ.get("LOAD_PEER_DB", "load_peer"))
    args = parser.parse_args()
    if args.db:
        print(json.dumps(measure(args.db, args.kind, args.repeat)))
        return
    # Each database in a process of its own (one Odoo HTTP application per process), ours and the peer
    # twice, alternately, the lower median of the two kept: the machine's other work moves single runs.
    runs = {"ours": [], "peer": []}
    for _ in range(2):
        for kind, db in (("ours", args.ours_db), ("peer", args.peer_db)):
            output = subprocess.run(
                [sys.executable, __file__, "--db", db, "--kind", kind, "--json", "--repeat", str(args.repeat)],
                check=True, capture_output=True, text=True).stdout
            runs[kind].append(json.loads(output.strip().splitlines()[-1]))
    best = {kind: {name: min(run[name] for run in kind_runs) for name in kind_runs[0]}
            for kind, kind_runs in runs.items()}
    print(table(best["ours"], best["peer"]))


if __name__ == "__main__":
    main()
