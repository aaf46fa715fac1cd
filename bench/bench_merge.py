"""Benchmark: merging a ticket with many messages and attachments into another (helpdesk.ticket._merge_into).

The merge moves each kind of record with one write, so its query count does not grow with the number of
messages. Each measurement runs in its own subprocess on a database with the helpdesk installed (its
transaction is rolled back: the database is left as it was); median of the repetitions.

    python bench/bench_merge.py --db hd_merge                 # 100 and 1,000 messages (100 attachments)
    python bench/bench_merge.py --db hd_merge --messages 10 100 --attachments 10
"""
import time

from common import env_for, main, median_of, registry_for, run_worker


def cmd_merge(args):
    """One merge as a helpdesk manager (the administrator): seconds and queries, flush included."""
    registry = registry_for(args.db)
    with registry.cursor() as cr:
        env = env_for(cr)
        admin = env.ref("base.user_admin")
        customer = env["res.partner"].create({"name": "PT Bench Gabung", "is_company": True})
        contact = env["res.partner"].create({"name": "Bench Kontak", "parent_id": customer.id,
                                             "email": "kontak@bench-gabung.example.co.id"})
        Ticket = env["helpdesk.ticket"].with_context(tracking_disable=True)
        target, merged = Ticket.create([
            {"name": "Server kantor mati", "partner_id": contact.id},
            {"name": "Server kantor mati lagi", "partner_id": contact.id},
        ])
        comment = env.ref("mail.mt_comment").id
        env["mail.message"].create([{
            "model": "helpdesk.ticket", "res_id": merged.id, "body": f"<p>Pesan {i}</p>",
            "message_type": "comment", "subtype_id": comment, "author_id": contact.id,
        } for i in range(args.messages)])
        env["ir.attachment"].create([{
            "name": f"foto-{i}.txt", "raw": b"isi", "res_model": "helpdesk.ticket", "res_id": merged.id,
        } for i in range(args.attachments)])
        env.flush_all()
        env.invalidate_all()

        merged = merged.with_user(admin)
        queries = cr.sql_log_count
        start = time.perf_counter()
        merged._merge_into(merged.browse(target.id))
        env.flush_all()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        moved = env["mail.message"].search_count([("model", "=", "helpdesk.ticket"), ("res_id", "=", target.id)])
        assert moved >= args.messages, moved
        cr.rollback()
    return {"seconds": seconds, "queries": queries}


def worker_options(parser):
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--attachments", type=int, default=100)


def options(parser):
    parser.add_argument("--db", default="hd_merge")
    parser.add_argument("--messages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--attachments", type=int, default=100)
    parser.add_argument("--reps", type=int, default=3)


def orchestrate(args):
    print(f"{'merge of a ticket into another':<52} {'seconds':>8} {'queries':>8}")
    for messages in args.messages:
        results = [run_worker(__file__, "merge", args.db, messages=messages, attachments=args.attachments)
                   for _rep in range(args.reps)]
        what = f"{messages} messages, {args.attachments} attachments"
        print(f"{what:<52} {median_of(results, 'seconds'):>8.3f} {median_of(results, 'queries'):>8.0f}",
              flush=True)


if __name__ == "__main__":
    main(__doc__, {"merge": cmd_merge}, worker_options, options, orchestrate)
