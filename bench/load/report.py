"""Tables of bench/load.sh: one line per run as it ends, then the "Load" section of bench/RESULTS.md
(between the markers below; bench.py keeps it when it rewrites the file)."""
import os
import platform
from datetime import date

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
# Actions shared by ours and the peer, in the order of the table; then our channels.
SHARED = ["agent: open the queue", "agent: open a ticket", "agent: reply", "portal: list", "portal: open",
          "portal: reply", "portal: new ticket form", "portal: create", "portal: open the created ticket"]
OURS_ONLY = ["agent: take next", "sms: RunOnReceive", "call: ringing", "call: hangup"]
CPU_PARTS = ["Odoo (master, workers, gevent, cron)", "PostgreSQL backends", "PostgreSQL replica", "nginx", "Locust"]


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))] if values else None


def stats(result, name):
    values = result["samples"].get(name) or []
    return {"count": len(values), "p50": percentile(values, 0.5), "p95": percentile(values, 0.95)}


def rate(result, prefixes=("agent:", "portal:")):
    """Requests per second of the measured window, of the actions whose name starts with a prefix."""
    count = sum(len(v) for k, v in result["samples"].items() if k.startswith(prefixes))
    return count / result["measured_s"] if result.get("measured_s") else 0


def errors(result):
    return sum(len(v) for v in result["failures"].values())


def ms(value):
    return "-" if value is None else f"{value * 1000:.0f}"


def run_summary(result):
    lines = [f"[load] {result['name']}: {rate(result, ('',)):.1f} req/s in all, {rate(result):.1f} req/s agents+portal,"
             f" {errors(result)} errors; load average {result['load_before']:.2f} before"]
    for name in SHARED + OURS_ONLY:
        s = stats(result, name)
        if s["count"]:
            lines.append(f"    {name:<34} n={s['count']:<6} p50 {ms(s['p50']):>6} ms  p95 {ms(s['p95']):>6} ms")
    if "sms" in result:
        lines.append(f"    SMS: {result['sms']}")
    cpu = result["cpu"]
    lines.append("    CPU s: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()))
    for name, failures in result["failures"].items():
        lines.append(f"    FAILED {name} x{len(failures)}: {failures[0]}")
    return "\n".join(lines)


def cpu_cells(result):
    cpu = result["cpu"]
    parts = [cpu.get(name, 0.0) for name in CPU_PARTS]
    other = cpu["machine busy"] - sum(parts)
    requests = sum(len(v) for v in result["samples"].values()) or 1
    per_request = [1000 * cpu.get(name, 0.0) / requests for name in CPU_PARTS[:2]]
    return [f"{value:.0f}" for value in parts] + [f"{other:.0f}",
                                                  f"{100 * cpu['machine busy'] / cpu['machine capacity']:.0f}%"] + [
        f"{value:.0f}" for value in per_request]


def table(results):
    by_name = {r["name"]: r for r in results}
    names = [r["name"] for r in results]
    lines = [
        "Runs (measured window after the warm-up; CPU seconds over the same window; \"other\" = the rest of the "
        "machine's busy time: other work on this machine, PostgreSQL's background processes, kernel):",
        "",
        "| run | min | load avg (1 min) before | req/s, all | req/s, agents + portal | errors | "
        "SMS inserted / imported / lost / duplicated | calls | CPU s Odoo | CPU s PostgreSQL backends | "
        "CPU s replica | CPU s nginx | CPU s Locust | CPU s other | machine busy | Odoo CPU ms / request | "
        "PostgreSQL CPU ms / request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |" + " ---: |" * 10,
    ]
    for r in results:
        sms = r.get("sms")
        sms_cell = f"{sms['inserted']} / {sms['imported']} / {sms['lost']} / {sms['duplicated']}" if sms else "n/a"
        lines.append(f"| {r['name']} | {r['minutes']:g} | {r['load_before']:.2f} | {rate(r, ('',)):.1f} | "
                     f"{rate(r):.1f} | {errors(r)} | "
                     f"{sms_cell} | {r.get('calls') or 'n/a'} | " + " | ".join(cpu_cells(r)) + " |")
    lines += ["", "Per action, p50 / p95 in ms (n = requests measured):", ""]
    # Like for like first: ours without SMS and calls against the peer (which has none).
    pairs = [(o, p) for o, p in (("ours-1-web", "peer-1"), ("ours-2-web", "peer-2"), ("ours-1-max", "peer-1-max"),
                                 ("ours-2-max", "peer-2-max"), ("ours-1", "peer-1"), ("ours-2", "peer-2"))
             if o in by_name and p in by_name]
    header = "| action | " + " | ".join(names) + " | " + " | ".join(f"p95 {o} / {p}" for o, p in pairs) + " |"
    lines += [header, "| --- |" + " ---: |" * (len(names) + len(pairs))]
    for action in SHARED + OURS_ONLY:
        cells = []
        for name in names:
            s = stats(by_name[name], action)
            cells.append(f"{ms(s['p50'])} / {ms(s['p95'])} (n={s['count']})" if s["count"] else "n/a")
        ratios = []
        for o, p in pairs:
            so, sp = stats(by_name[o], action), stats(by_name[p], action)
            ratios.append(f"{so['p95'] / sp['p95']:.2f}" if so["count"] and sp["count"] and sp["p95"] else "n/a")
        lines.append(f"| {action} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines.append("")
    lines += server_table(results)
    for one_name, two_name in (("ours-1-max", "ours-2-max"), ("peer-1-max", "peer-2-max"), ("ours-1", "ours-2"),
                               ("ours-1-web", "ours-2-web"), ("peer-1", "peer-2")):
        one, two = by_name.get(one_name), by_name.get(two_name)
        if one and two and rate(one):
            lines.append(f"- {two_name} / {one_name}: throughput of the agents + portal mix (read-heavy), 2 workers / "
                         f"1 worker: {rate(two) / rate(one):.2f} ({rate(two):.1f} / {rate(one):.1f} req/s)")
    return "\n".join(lines)


def server_table(results):
    """Odoo's own request log: per route, SQL queries / ms in SQL / ms in Python per request."""
    runs = [r for r in results if r.get("server")]
    if not runs:
        return []
    routes = sorted({route for r in runs for route in r["server"]},
                    key=lambda route: -max(r["server"].get(route, {}).get("n", 0) for r in runs))
    lines = ["Server side, from Odoo's request log over the window: per request, SQL queries / ms in SQL / ms in "
             "Python (including waiting for a CPU):", "",
             "| route | " + " | ".join(r["name"] for r in runs) + " |", "| --- |" + " ---: |" * len(runs)]
    for route in routes:
        cells = []
        for r in runs:
            s = r["server"].get(route)
            cells.append(f"{s['queries']:.1f} / {1000 * s['sql_s']:.0f} / {1000 * s['python_s']:.0f}" if s else "")
        lines.append(f"| {route} | " + " | ".join(cells) + " |")
    return lines + [""]


def findings():
    """bench/load/FINDINGS.md: what the figures mean and what was profiled, kept by hand."""
    path = os.path.join(REPO, "bench", "load", "FINDINGS.md")
    if not os.path.exists(path):
        return ""
    with open(path) as fh:
        return "\n" + fh.read().rstrip()


def write(results, quick=False):
    import odoo.release

    text = table(results)
    print("\n" + text)
    section = "\n".join([
        BEGIN,
        "## Load",
        "",
        f"`bash bench/load.sh` — {date.today().isoformat()}{' (quick run)' if quick else ''}, Odoo "
        f"{odoo.release.version}, {os.cpu_count()} cores ({platform.machine()}) shared with other work. Locust "
        "from PyPI, headless on loopback, against deploy/start.sh (nginx, Odoo prefork with 1 or 2 HTTP workers, "
        "the gevent process, 1 cron worker); 10 agents (web client JSON-RPC: the list with the Open filter, the "
        "form, the chatter, Take Next), 20 portal customers of 20 companies (list, ticket page, chatter reply, new "
        "ticket form); the same people and 3,000 tickets in both databases at the start. Ours only: SMS at 20/s "
        "(gammu inbox + RunOnReceive) and calls at 2/s (PBX webhook), except in the \"-web\" runs (the peer's "
        "load exactly). \"-max\": 3 agents and 4 customers without think time (saturation).",        "",
        text,
    ] + ([fh_text] if (fh_text := findings()) else []) + [END])
    path = os.path.join(REPO, "bench", "RESULTS.md")
    current = "# Benchmark results\n"
    if os.path.exists(path):
        with open(path) as fh:
            current = fh.read()
    if BEGIN in current:
        head, rest = current.split(BEGIN, 1)
        current = head + section + rest.split(END, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + section + "\n"
    with open(path, "w") as fh:
        fh.write(current)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    # python bench/load/report.py RESULTS.json... [--quick]: the section again from runs' results.json
    # (the later file's run wins when two have the same name).
    import json
    import sys

    merged = {}
    for path in [a for a in sys.argv[1:] if a != "--quick"]:
        with open(path) as fh:
            merged.update({r["name"]: r for r in json.load(fh)})
    write(list(merged.values()), quick="--quick" in sys.argv)
