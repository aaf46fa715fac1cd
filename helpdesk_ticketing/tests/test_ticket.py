import re
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL, mute_logger

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestTicket(HelpdeskCase):
    def test_code_unique_readable_and_searchable(self):
        first, second = self.env["helpdesk.ticket"].create([
            {"name": "Printer macet", "partner_id": self.contact.id},
            {"name": "Wi-Fi lambat", "partner_id": self.contact.id},
        ])
        year = fields.Date.today().year
        for ticket in first | second:
            self.assertRegex(ticket.code, rf"^HD/{year}/\d{{5}}$")
        self.assertNotEqual(first.code, second.code)
        self.assertEqual(int(second.code[-5:]), int(first.code[-5:]) + 1)
        self.assertIn(first.code, first.display_name)
        found = self.env["helpdesk.ticket"].name_search(first.code)
        self.assertEqual([r[0] for r in found], [first.id])
        self.assertEqual(self.env["helpdesk.ticket"].search([("code", "=", second.code)]), second)
        copy = first.copy()
        self.assertNotEqual(copy.code, first.code)

    def test_find_by_code_reference(self):
        ticket = self.ticket()
        number = int(ticket.code.rsplit("/", 1)[1])
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(Ticket._find_by_code_reference(f"Re: {ticket.code} masih rusak"), ticket)
        self.assertEqual(Ticket._find_by_code_reference(ticket.code.replace("/", "-").lower() + " ok"), ticket)
        self.assertEqual(Ticket._find_by_code_reference(f"HD{number} sudah beres"), ticket)
        self.assertFalse(Ticket._find_by_code_reference("printer rusak lagi"))

    @freeze_time("2026-11-23 03:00:00")
    def test_codes_follow_the_company_sequence_prefix(self):
        """SMS and e-mails name tickets as the company's sequence writes them, not as "HD"."""
        company_tk = self.env["res.company"].create({"name": "PT Teknik Kita"})
        sequence = company_tk._helpdesk_ticket_sequence()
        sequence.write({"prefix": "TK-%(year)s-", "number_next": 42})
        team_tk = self.env["helpdesk.team"].create({"name": "Tim TK", "company_id": company_tk.id})
        self.manager.write({"company_ids": [(4, company_tk.id)]})
        Ticket = self.env["helpdesk.ticket"].with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, company_tk.id]
        )
        ticket = Ticket.create({"name": "Genset mati", "partner_id": self.contact.id, "team_id": team_tk.id})
        hd_ticket = Ticket.create({"name": "Printer macet", "partner_id": self.contact.id})
        self.assertEqual(ticket.code, "TK-2026-00042")
        for text in ("Re: TK-2026-00042 masih mati", "tk 2026 42 sudah?", "tk/2026/0042", "#TK42 tolong", "TK-42"):
            self.assertEqual(Ticket._find_by_code_reference(text), ticket, text)
        self.assertEqual(Ticket._find_by_code_references(["TK42"], company=company_tk), {"TK42": ticket})
        self.assertEqual(Ticket._find_by_code_references(["TK42"], company=self.env.company), {})
        self.assertFalse(Ticket._find_by_code_reference("HD/2026/00042"))
        hd_number = int(hd_ticket.code.rsplit("/", 1)[1])
        self.assertEqual(Ticket._find_by_code_reference(f"HD{hd_number} sudah beres"), hd_ticket)
        self.assertFalse(Ticket._find_by_code_reference(f"TK{hd_number}") == hd_ticket)

    def test_defaults_from_category_and_team(self):
        self.category.team_id = self.team_net
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Switch mati", "partner_id": self.contact.id, "category_id": self.category.id}
        )
        self.assertEqual(ticket.team_id, self.team_net)
        self.assertEqual(ticket.level, "2")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertIn(self.contact, ticket.message_partner_ids, "the customer follows the ticket")

    def test_fifo_order_priority_then_age(self):
        Ticket = self.env["helpdesk.ticket"]
        old_normal = self.ticket(name="lama normal")
        new_urgent = self.ticket(name="baru mendesak", priority="3")
        new_normal = self.ticket(name="baru normal")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = create_date - interval '1 hour' WHERE id = %s", [old_normal.id]
        )
        Ticket.invalidate_model(["create_date"])
        queue = Ticket.search([("id", "in", (old_normal | new_urgent | new_normal).ids)])
        self.assertEqual(queue.mapped("name"), ["baru mendesak", "lama normal", "baru normal"])

    def test_round_robin_assignment(self):
        self.team_sd.assignment_method = "round_robin"
        tickets = self.env["helpdesk.ticket"].create([
            {"name": f"Keluhan {i}", "partner_id": self.contact.id, "team_id": self.team_sd.id} for i in range(4)
        ])
        self.assertEqual(tickets.mapped("user_id"), self.agent_a | self.agent_b)
        self.assertEqual(
            [t.user_id for t in tickets], [self.agent_a, self.agent_b, self.agent_a, self.agent_b]
        )
        self.assertTrue(all(t.date_assigned for t in tickets))
        nxt = self.ticket()
        self.assertEqual(nxt.user_id, self.agent_a, "round-robin continues after the batch")

    def test_assignees_are_notified_right_after(self):
        self.team_sd.assignment_method = "round_robin"
        Ticket = self.env["helpdesk.ticket"]
        Message = self.env["mail.message"]

        def told(user):
            return Message.search([("model", "=", "helpdesk.ticket"), ("message_type", "=", "user_notification"),
                                   ("partner_ids", "in", user.partner_id.ids)])

        Ticket._cron_notify_assignees()  # whatever the demo data left pending
        first = self.ticket()
        self.assertEqual(first.user_id, self.agent_a)
        self.assertTrue(first.assignee_to_notify)
        self.assertFalse(told(self.agent_a), "not inside the creating request")
        self.assertEqual(Ticket._cron_notify_assignees(), 1)
        self.assertEqual(told(self.agent_a).res_id, first.id)
        self.assertFalse(first.assignee_to_notify)
        batch = Ticket.create([
            {"name": f"Antrian {i}", "partner_id": self.contact.id, "team_id": self.team_sd.id} for i in range(3)
        ])
        self.assertEqual(batch.mapped("user_id"), self.agent_a | self.agent_b)
        self.assertEqual(Ticket._cron_notify_assignees(), 3)
        summary = told(self.agent_b)
        self.assertEqual(len(summary), 1, "one summary for the two tickets of the batch")
        for ticket in batch.filtered(lambda t: t.user_id == self.agent_b):
            self.assertIn(ticket.code, summary.body)
        self.assertEqual(len(told(self.agent_a)), 2)
        self.assertEqual(Ticket._cron_notify_assignees(), 0)
        # Taking a ticket yourself tells nobody.
        mine = self.ticket(user_id=self.env.uid)
        self.assertFalse(mine.assignee_to_notify)

    def test_customer_and_contact_follow_with_public_subtypes(self):
        ticket = self.ticket(partner_id=self.customer.id, contact_id=self.contact.id, user_id=self.agent_a.id)
        followers = ticket.message_follower_ids.filtered(lambda f: f.partner_id in (self.customer | self.contact))
        self.assertEqual(len(followers), 2)
        self.assertFalse(followers.subtype_ids.filtered("internal"))
        self.assertTrue(followers.subtype_ids, "customers hear of public messages")
        staff = ticket.message_follower_ids.filtered(lambda f: f.partner_id == self.agent_a.partner_id)
        defaults = self.env["mail.message.subtype"]._default_subtypes("helpdesk.ticket")[0]
        self.assertEqual(sorted(staff.subtype_ids.ids), sorted(defaults), "the assignee hears of everything")
        self.assertLessEqual(self.agent_a.partner_id | self.customer | self.contact, ticket.message_partner_ids)
        # Subscribing a follower again keeps one follower row.
        ticket.message_subscribe(partner_ids=self.customer.ids)
        self.assertEqual(len(ticket.message_follower_ids.filtered(lambda f: f.partner_id == self.customer)), 1)

    def test_codes_follow_the_sequence_format(self):
        """Codes drawn one by one or in a batch have the sequence's prefix of the day and its padding."""
        year = fields.Date.context_today(self.env.user).year
        single = self.ticket()
        batch = self.env["helpdesk.ticket"].create([
            {"name": f"Seri {i}", "partner_id": self.contact.id, "team_id": self.team_sd.id} for i in range(3)
        ])
        numbers = []
        for ticket in single | batch:
            prefix, number = ticket.code.rsplit("/", 1)
            self.assertEqual((prefix, len(number)), (f"HD/{year}", 5))
            numbers.append(int(number))
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)), "consecutive numbers")

    def test_least_load_assignment_and_region(self):
        self.team_sd.assignment_method = "least_load"
        self.ticket(user_id=self.agent_a.id)
        self.ticket(user_id=self.agent_a.id)
        self.assertEqual(self.ticket().user_id, self.agent_b)
        site = self.env["helpdesk.site"].create({"name": "Cabang Jakarta", "region": "jakarta"})
        self.assertEqual(self.ticket(site_id=site.id).user_id, self.agent_a, "region wins over load")
        self.team_sd.member_line_ids.filtered(lambda m: m.user_id == self.agent_b).available = False
        self.assertEqual(self.ticket().user_id, self.agent_a, "unavailable members get nothing")

    def test_skill_assignment(self):
        self.team_sd.assignment_method = "round_robin"
        self.team_sd.member_line_ids.filtered(lambda m: m.user_id == self.agent_b).category_ids = self.category
        for _i in range(2):
            self.assertEqual(self.ticket(category_id=self.category.id).user_id, self.agent_b)

    def test_customer_smart_button_counts(self):
        self.ticket()
        self.ticket(stage_id=self.stage_solved.id, solution="<p>Akun dibuka kembali.</p>")
        other_contact = self.env["res.partner"].create({"name": "Rekan", "parent_id": self.customer.id})
        self.ticket(partner_id=other_contact.id)
        self.assertEqual((self.customer.open_ticket_count, self.customer.closed_ticket_count), (2, 1))
        self.assertEqual((self.contact.open_ticket_count, self.contact.closed_ticket_count), (1, 1))
        action = self.customer.action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search_count(action["domain"]), 3)
        self.assertEqual(self.env["helpdesk.ticket"].search_count(other_contact.action_view_tickets()["domain"]), 1)

    def test_stage_dates_and_reopen(self):
        ticket = self.ticket(solution="<p>Adaptor laptop diganti.</p>")
        ticket.stage_id = self.stage_solved
        self.assertTrue(ticket.is_closed)
        self.assertTrue(ticket.date_closed)
        ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.date_closed)
        self.assertEqual(ticket.reopen_count, 1)

    def test_bad_input_messages(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.assertRaisesRegex(ValidationError, "has no customer"):
            Ticket.create({"name": "Tanpa pelanggan"})
        with self.assertRaisesRegex(ValidationError, "needs a subject"):
            Ticket.create({"name": "   ", "partner_id": self.contact.id})
        missing = self.env["helpdesk.category"].create({"name": "Sementara"})
        missing_id = missing.id
        missing.unlink()
        with self.assertRaisesRegex(ValidationError, rf"Category #{missing_id} does not exist"):
            Ticket.create({"name": "Kategori hilang", "partner_id": self.contact.id, "category_id": missing_id})
        ticket = self.ticket()
        with self.assertRaisesRegex(ValidationError, "needs a subject"):
            ticket.name = ""
        with self.assertRaisesRegex(ValidationError, "cannot lose its customer"):
            ticket.partner_id = False
        self.assertFalse(Ticket.search([("name", "in", ["Tanpa pelanggan", "Kategori hilang"])]))

    def test_bad_input_is_translated(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        Ticket = self.env["helpdesk.ticket"].with_context(lang="id_ID")
        with self.assertRaises(ValidationError) as error:
            Ticket.create({"name": "Tanpa pelanggan"})
        self.assertNotIn("has no customer", str(error.exception))
        self.assertIn("pelanggan", str(error.exception).lower())

    def test_import_with_unknown_category_reports_clearly(self):
        result = self.env["helpdesk.ticket"].load(
            ["name", "partner_id/.id", "category_id"],
            [["Impor tiket", str(self.contact.id), "Kategori Tidak Ada"]],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(re.search("Kategori Tidak Ada", m["message"]) for m in result["messages"]))

    def test_progress_bounds(self):
        ticket = self.ticket()
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            ticket.progress = 150
            ticket.flush_recordset()

    def test_batch_create_queries_are_flat(self):
        self.team_sd.assignment_method = "round_robin"
        Ticket = self.env["helpdesk.ticket"]

        def vals(n):
            return [{"name": f"Batch {i}", "partner_id": self.contact.id, "team_id": self.team_sd.id}
                    for i in range(n)]

        def count(n):
            Ticket.create(vals(1)).flush_recordset()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Ticket.create(vals(n)).flush_recordset()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        small, large = count(5), count(25)
        # Per-ticket cost is a handful of queries (sequence, insert rows), never a growing loop.
        self.assertLess((large - small) / 20, 12, f"{small} queries for 5 tickets, {large} for 25")

    def test_take_next_respects_teams_and_order(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent_a)
        other_team = self.ticket(team_id=self.team_net.id)
        normal = self.ticket(name="biasa")
        urgent = self.ticket(name="mendesak", priority="3")
        self.assertEqual(Ticket._take_next_ticket(), urgent)
        self.assertEqual(urgent.user_id, self.agent_a)
        self.assertEqual(Ticket._take_next_ticket(), normal)
        self.assertFalse(Ticket._take_next_ticket())
        self.assertFalse(other_team.user_id)
        action = Ticket.action_take_next()
        self.assertEqual(action["tag"], "display_notification")

    def test_take_next_reads_the_queue_from_its_index(self):
        """The queue's query names the agent's teams and matches `_queue_idx`'s predicate: PostgreSQL can read
        the first tickets in queue order from the index instead of sorting every waiting ticket (the cost
        that grew with the queue). Pinned with the planner told to avoid full scans, as a large queue does."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent_a)
        self.ticket(name="antri 1")
        self.ticket(name="antri 2", priority="3")
        self.env.flush_all()
        query = Ticket._search(Ticket._queue_domain(), limit=20, order=Ticket._order)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_bitmapscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("Index Scan using helpdesk_ticket_queue_idx", plan)
        self.assertNotIn("Sort", plan)

    def test_sla_deadline_set_for_batch(self):
        sla = self.env["helpdesk.sla"].create({"name": "24/7", "response_hours": 1, "resolution_hours": 4})
        self.team_sd.resource_calendar_id = False
        self.env.company.resource_calendar_id = False
        tickets = self.env["helpdesk.ticket"].create([
            {"name": f"SLA {i}", "partner_id": self.contact.id, "team_id": self.team_sd.id} for i in range(3)
        ])
        for ticket in tickets:
            self.assertEqual(ticket.sla_id, sla)
            self.assertAlmostEqual(ticket.sla_resolve_deadline, ticket.create_date + timedelta(hours=4),
                                   delta=timedelta(seconds=1))
            self.assertEqual(ticket.sla_status, "on_track")
