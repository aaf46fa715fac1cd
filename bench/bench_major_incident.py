"""Solving a major incident with many affected tickets: the time and the queries of the leader's request
that solves the incident and its children; then of the job that tells each child's customer through their
channel (e-mail / portal message into the mail queue, SMS into the sms.sms queue), in their language.

    python bench/bench_major_incident.py --db hd_major --children 500 [--reps 3]

Each repetition builds its incident in the database, measures, then rolls back: the database is left as
it was. The figures are the medians of the repetitions; nothing may be sent inside the request, and the
job queues what it writes (the mail and SMS queues send it).
"""
import argparse
import statistics
import time

from common import env_for, registry_for

CHANNELS = ("email", "portal", "sms")


def build(env, n):
    """A leader's team, n customers in two languages, n open tickets in three channels, one incident."""
    Users = env["res.users"].with_context(no_reset_password=True)
    leader = Users.create({
        "name": "Bench Ketua", "login": "bench_major_leader", "email": "ketua@bench.example.co.id",
        "group_ids": [(6, 0, [env.ref("helpdesk_ticketing.group_helpdesk_leader").id])],
    })
    team = env["helpdesk.team"].create({"name": "Bench Major Team", "leader_id": leader.id,
                                        "assignment_method": "manual", "solution_required": True})
    if "helpdesk.sms.gateway" in env and (gateway := env["helpdesk.sms.gateway"].search([], limit=1)):
        team.sms_gateway_id = gateway
    langs = ["en_US"]
    if env["res.lang"]._activate_lang("id_ID"):
        langs.append("id_ID")
    country = env.ref("base.id")
    customers = env["res.partner"].create([{
        "name": f"Pelanggan Bench {i}", "email": f"pelanggan{i}@bench.example.co.id",
        "phone": f"+62 812 {5000 + i // 10000:04d} {i % 10000:04d}", "lang": langs[i % len(langs)],
        "country_id": country.id,
    } for i in range(n)])
    Ticket = env["helpdesk.ticket"]
    incident = Ticket.create({"name": "Bench: link data center putus", "partner_id": customers[0].id,
                              "team_id": team.id, "channel": "internal"})
    children = Ticket.create([{
        "name": f"Aplikasi tidak bisa diakses {i}", "partner_id": customer.id, "team_id": team.id,
        "channel": CHANNELS[i % len(CHANNELS)],
    } for i, customer in enumerate(customers)])
    incident.with_user(leader).action_declare_major_incident()
    children.with_user(leader)._attach_to_major_incident(incident)
    incident.solution = "<p>Link data center dipulihkan setelah penggantian modul optik.</p>"
    env.flush_all()
    return leader, incident, children


def measure(db, n):
    registry = registry_for(db)
    with registry.cursor() as cr:
        env = env_for(cr)
        leader, incident, children = build(env, n)
        Mail = env["mail.mail"]
        Sms = env.get("sms.sms")
        mails_before = Mail.search([]).ids
        sms_before = Sms.search([]).ids if Sms is not None else []
        solved_stage = incident._solved_stage()
        env.invalidate_all()
        # The leader's request: solving the incident solves the children and schedules their notices.
        start_queries, start = cr.sql_log_count, time.perf_counter()
        incident.with_user(leader).write({"stage_id": solved_stage.id})
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        open_children = len(children.filtered(lambda t: not t.is_closed))
        notices_in_request = len(Mail.search([("id", "not in", mails_before)]))
        # The notice job right after, as the cron runs it (one batch for all, to time the whole).
        start_queries, start = cr.sql_log_count, time.perf_counter()
        told = env["helpdesk.ticket"]._cron_notify_major_incident_solved(batch_size=n)
        env.flush_all()
        notice_elapsed = time.perf_counter() - start
        notice_queries = cr.sql_log_count - start_queries
        mails = Mail.search([("id", "not in", mails_before)])
        sms = Sms.search([("id", "not in", sms_before)]) if Sms is not None else []
        result = {
            "seconds": elapsed, "queries": queries, "open_children_left": open_children,
            "notices_in_request": notices_in_request, "told": told,
            "notice_seconds": notice_elapsed, "notice_queries": notice_queries,
            "mails_queued": len(mails.filtered(lambda m: m.state == "outgoing")),
            "mails_sent": len(mails.filtered(lambda m: m.state == "sent")),
            "sms_queued": len([s for s in sms if s.state == "outgoing"]),
            "sms_sent": len([s for s in sms if s.state in ("sent", "pending")]),
        }
        cr.rollback()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    results = [measure(args.db, args.children) for _ in range(args.reps)]
    med = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(f"solve a major incident with {args.children} children (median of {args.reps}):")
    print(f"  leader's request: {med['seconds']:.2f} s, {med['queries']:.0f} queries   (target < 5 s)")
    print(f"    children left open: {med['open_children_left']:.0f}; notices made in the request: "
          f"{med['notices_in_request']:.0f}")
    print(f"  notice job after it: {med['notice_seconds']:.2f} s, {med['notice_queries']:.0f} queries "
          f"for {med['told']:.0f} customers")
    print(f"    queued: {med['mails_queued']:.0f} e-mails, {med['sms_queued']:.0f} SMS; "
          f"sent by the job itself: {med['mails_sent']:.0f} e-mails, {med['sms_sent']:.0f} SMS")


if __name__ == "__main__":
    main()
