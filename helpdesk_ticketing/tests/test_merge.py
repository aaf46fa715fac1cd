"""Merging tickets about one request, related tickets, and merged codes that stay valid."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, freeze_time, tagged

from .common import HelpdeskCase, WebClientCalls
from .test_mail_gateway import MAIL


class MergeCase(HelpdeskCase):
    """Three tickets of PT Sentosa Abadi about the same printer, opened one after the other."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls.env["res.partner"].create({
            "name": "Maya Sari", "parent_id": cls.customer.id, "email": "maya@sentosa.example.co.id",
        })

    def setUp(self):
        super().setUp()
        self.second = self.ticket(name="Printer macet lagi", partner_id=self.colleague.id)
        self.third = self.ticket(name="Tidak bisa cetak", user_id=self.agent_a.id)
        # Created last, opened first: "oldest" goes by the opening date.
        self.oldest = self.ticket_opened_at("2026-11-20 02:00:00", name="Printer lantai 2 macet")

    def open_wizard(self, user, tickets, **context):
        """The wizard as the list's Action menu opens it (active_ids)."""
        Wizard = self.env["helpdesk.ticket.merge"].with_user(user).with_context(
            active_model="helpdesk.ticket", active_ids=tickets.ids, **context)
        return Form(Wizard)

    def merge(self, user, tickets, target=None):
        with self.open_wizard(user, tickets) as wizard:
            if target:
                wizard.target_ticket_id = target
        return wizard.record.action_merge()


@freeze_time("2026-11-23 03:00:00")
@tagged("post_install", "-at_install")
class TestMerge(MergeCase):
    def test_leader_merges_everything_into_the_oldest_ticket(self):
        second, third, oldest = self.second, self.third, self.oldest
        # The history of the second ticket: a customer reply with a file, followers, an escalation, a rating.
        attachment = self.env["ir.attachment"].create({
            "name": "foto-printer.jpg", "raw": b"jpeg", "res_model": "helpdesk.ticket", "res_id": second.id,
        })
        second.with_user(self.portal_user).message_post(
            body="Ini fotonya", message_type="comment", subtype_xmlid="mail.mt_comment",
            attachment_ids=attachment.ids)
        second.message_subscribe(partner_ids=(self.contact | self.leader_other.partner_id).ids)
        third.with_user(self.agent_a)._escalate("handover", "Butuh teknisi Bandung", user=self.agent_b)
        rating = self.env["rating.rating"].create({
            "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"), "res_id": second.id,
            "partner_id": self.colleague.id, "rating": 4, "consumed": True,
        })
        approval = self.env["helpdesk.approval"].with_user(self.manager).create({
            "ticket_id": third.id, "kind": "signoff", "approver_ids": [(6, 0, self.leader.ids)],
        })
        messages = (second | third).message_ids

        with self.open_wizard(self.leader, third | second | oldest) as wizard:
            self.assertEqual(wizard.target_ticket_id, oldest, "the oldest ticket stays by default")
        action = wizard.record.action_merge()
        self.assertEqual((action["res_model"], action["res_id"]), ("helpdesk.ticket", oldest.id))

        self.assertEqual(messages.mapped("res_id"), [oldest.id] * len(messages))
        self.assertEqual(attachment.res_id, oldest.id)
        self.assertEqual(rating.res_id, oldest.id)
        self.assertEqual(oldest.rating_ids, rating)
        self.assertEqual(approval.ticket_id, oldest)
        self.assertEqual(oldest.escalation_ids.reason, "Butuh teknisi Bandung")
        self.assertEqual((oldest.escalation_count, third.escalation_count), (1, 0))
        followers = oldest.message_follower_ids
        self.assertEqual(len(followers.partner_id), len(followers), "a partner follows the ticket once")
        self.assertLessEqual(self.colleague | self.contact | self.leader_other.partner_id, followers.partner_id)
        self.assertFalse(second.message_follower_ids | third.message_follower_ids)
        for merged in second | third:
            self.assertEqual(merged.merged_into_id, oldest)
            self.assertTrue(merged.is_closed)
            self.assertEqual(merged.stage_kind, "cancelled")
            note = merged.message_ids.filtered(lambda m: "Merged into" in str(m.body))
            self.assertIn(f'href="/odoo/helpdesk.ticket/{oldest.id}"', str(note.body))
            self.assertIn(oldest.code, str(note.body))
        note = oldest.message_ids.filtered(lambda m: "Merged into this ticket" in str(m.body))
        self.assertIn(second.code, str(note.body))
        self.assertIn(third.code, str(note.body))
        self.assertEqual(oldest.merged_ticket_ids, second | third)
        self.assertFalse(oldest.is_closed)

        # Merging again changes nothing more.
        count = len(oldest.message_ids)
        (second | third).with_user(self.leader)._merge_into(oldest)
        self.assertEqual(len(oldest.message_ids), count)

    def test_manager_chooses_the_ticket_that_stays_from_its_form(self):
        action = self.third.with_user(self.manager).action_open_merge_wizard()
        self.assertEqual(action["res_model"], "helpdesk.ticket.merge")
        Wizard = self.env["helpdesk.ticket.merge"].with_user(self.manager).with_context(**action["context"])
        with Form(Wizard) as wizard:
            self.assertEqual(wizard.target_ticket_id, self.third)
            wizard.ticket_ids.add(self.oldest)
            self.assertEqual(wizard.target_ticket_id, self.oldest, "the oldest ticket stays by default")
            wizard.target_ticket_id = self.third
        wizard.record.action_merge()
        self.assertEqual(self.oldest.merged_into_id, self.third)
        self.assertFalse(self.third.merged_into_id)

    def test_ticket_that_stays_given_by_the_caller(self):
        """As the one-click merge of a possible duplicate opens the wizard."""
        Wizard = self.env["helpdesk.ticket.merge"].with_user(self.leader).with_context(
            default_ticket_ids=(self.second | self.oldest).ids, default_target_ticket_id=self.second.id)
        with Form(Wizard) as wizard:
            self.assertEqual(wizard.target_ticket_id, self.second)
        wizard.record.action_merge()
        self.assertEqual(self.oldest.merged_into_id, self.second)

    def test_bad_input_is_refused_and_nothing_changes(self):
        other_customer = self.ticket(name="Printer CV Lain", partner_id=self.other_contact.id)
        other_company = self.env["res.company"].create({"name": "PT Cabang Surabaya"})
        self.leader.company_ids |= other_company
        foreign = self.ticket(name="Printer cabang", company_id=other_company.id, team_id=False)
        solved = self.ticket(name="Printer sudah beres", solution="<p>Diganti</p>")
        solved.stage_id = self.stage_solved
        merged = self.ticket(name="Printer digabung")
        merged.with_user(self.leader)._merge_into(self.third)
        state = [(t.stage_id, t.merged_into_id) for t in (self.oldest, self.second, self.third)]
        cases = [
            (self.oldest, self.oldest, "cannot be merged into itself"),
            (self.oldest, solved, "is closed"),
            (self.oldest, merged, f"was merged into {self.third.code}"),
            (merged, self.oldest, "was already merged into"),
            (other_customer, self.oldest, "only tickets of the same customer"),
            (foreign, self.oldest, "only tickets of the same company"),
        ]
        for tickets, target, error in cases:
            with self.subTest(error=error), self.assertRaisesRegex(UserError, error):
                tickets.with_user(self.leader).with_context(allowed_company_ids=[
                    self.env.company.id, other_company.id])._merge_into(target)
        with self.assertRaisesRegex(UserError, "at least two tickets"):
            self.merge(self.leader, self.oldest)
        self.assertEqual([(t.stage_id, t.merged_into_id) for t in (self.oldest, self.second, self.third)], state)

    def test_only_leaders_who_may_write_every_ticket_merge(self):
        with self.assertRaisesRegex(AccessError, "Only team leaders and helpdesk managers"):
            self.second.with_user(self.agent_a)._merge_into(self.oldest)
        network = self.ticket(name="Printer jaringan", team_id=self.team_net.id)
        with self.assertRaises(AccessError):  # the network team is not led by this leader
            network.with_user(self.leader)._merge_into(self.oldest)
        self.assertFalse(network.merged_into_id)
        # The list's Action menu offers the merge to leaders and managers only.
        action = self.env.ref("helpdesk_ticketing.helpdesk_ticket_merge_action")
        self.assertEqual(action.group_ids, self.env.ref("helpdesk_ticketing.group_helpdesk_leader"))
        with self.assertRaises(AccessError):
            self.open_wizard(self.agent_a, self.second | self.oldest)

    def test_merged_codes_name_the_surviving_ticket(self):
        self.second.with_user(self.leader)._merge_into(self.third)
        self.third.with_user(self.leader)._merge_into(self.oldest)
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(self.second._surviving_ticket(), self.oldest, "chains of merges are followed")
        self.assertEqual(Ticket._find_by_code_reference(f"Re: {self.second.code} masih macet"), self.oldest)
        number = int(self.third.code.rsplit("/", 1)[1])
        self.assertEqual(Ticket._find_by_code_reference(f"HD{number} belum beres"), self.oldest)

    def test_agents_link_related_tickets_both_ways(self):
        with Form(self.oldest.with_user(self.agent_a)) as form:
            form.related_ticket_ids.add(self.second)
            form.related_ticket_ids.add(self.third)
        self.assertEqual(self.second.related_ticket_ids, self.oldest)
        self.assertEqual(self.env["helpdesk.ticket"].search([("related_ticket_ids", "in", self.oldest.ids)]),
                         self.second | self.third)
        with Form(self.third.with_user(self.agent_a)) as form:
            self.assertEqual(form.related_ticket_ids[:], self.oldest)
            form.related_ticket_ids.remove(self.oldest.id)
        self.assertEqual(self.oldest.related_ticket_ids, self.second)
        self.assertFalse(self.third.related_ticket_ids)

    def test_related_tickets_show_what_the_user_may_read_in_one_query(self):
        """The form's related tickets: both directions, only tickets the reader may see (not another
        team's, not archived), read without one query per direction or per ticket."""
        network = self.ticket(name="Switch lantai 2 mati", team_id=self.team_net.id)
        archived = self.ticket(name="Printer lama")
        self.oldest.related_ticket_ids = self.second | network | archived
        self.third.related_ticket_ids = self.oldest
        archived.action_archive()
        ticket = self.oldest.with_user(self.agent_a)
        # The cache is per transaction, as the ORM's for any relational field: one reader each.
        self.env.invalidate_all()
        self.assertEqual(ticket.related_ticket_ids, self.second | self.third)
        self.env.invalidate_all()
        self.assertFalse(network.with_user(self.agent_net).related_ticket_ids)
        self.env.invalidate_all()
        self.assertEqual(self.oldest.with_user(self.manager).related_ticket_ids, self.second | self.third | network)
        self.env.invalidate_all()
        # The relation read both ways at once, then the linked tickets through the rules.
        with self.assertQueryCount(2):
            self.assertEqual(len(ticket.related_ticket_ids), 2)
        alone = self.ticket().with_user(self.agent_a)
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            self.assertFalse(alone.related_ticket_ids)


@freeze_time("2026-11-23 03:00:00")
@tagged("post_install", "-at_install")
class TestMergeMail(MergeCase):
    def test_merged_ticket_closes_without_the_cancelled_stage_email(self):
        """The customer's request goes on in the surviving ticket: they are not told it was cancelled."""
        template = self.env["mail.template"].create({
            "name": "Tiket dibatalkan", "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
            "subject": "Tiket {{ object.code }} dibatalkan", "body_html": "<p>Tiket Anda dibatalkan.</p>",
            "partner_to": "{{ object.partner_id.id }}",
        })
        cancelled = self.env["helpdesk.stage"]._of_team(self.second.team_id, kinds=["cancelled"], limit=1)
        cancelled.mail_template_id = template
        self.second.with_user(self.leader)._merge_into(self.oldest)
        self.third.stage_id = cancelled  # a ticket cancelled by hand still gets it
        self.env.flush_all()
        self.env.cr.precommit.run()
        sent = self.env["mail.message"].search([("subject", "like", "dibatalkan")])
        self.assertEqual(sent.mapped("res_id"), [self.third.id])

    def test_email_reply_to_a_merged_ticket_lands_on_the_surviving_one(self):
        mail = MAIL.format(email_from="Wahyu Hidayat <wahyu@sentosa.example.co.id>", to="helpdesk@example.co.id",
                           subject=f"Re: {self.second.name}", msg_id="<reply-1@sentosa>", body="Sudah dicoba lagi",
                           extra="In-Reply-To: {0}\nReferences: {0}\n".format(self.second.message_ids[0].message_id))
        self.second.with_user(self.leader)._merge_into(self.oldest)
        self.env["mail.thread"].sudo().message_process(None, mail)
        self.assertTrue(self.oldest.message_ids.filtered(lambda m: "Sudah dicoba lagi" in str(m.body)))
        self.assertFalse(self.second.message_ids.filtered(lambda m: "Sudah dicoba lagi" in str(m.body)))


@tagged("post_install", "-at_install")
class TestMergePortal(WebClientCalls, MergeCase, HttpCase):
    def test_customer_is_taken_to_the_surviving_ticket_and_replies_land_there(self):
        self.second.with_user(self.leader)._merge_into(self.oldest)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/tickets/{self.second.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/tickets/{self.oldest.id}"))
        self.make_jsonrpc_request("/mail/message/post", {
            "thread_model": "helpdesk.ticket", "thread_id": self.second.id,
            "post_data": {"body": "Masih macet di lantai 2", "message_type": "comment",
                          "subtype_xmlid": "mail.mt_comment"},
        })
        self.assertTrue(self.oldest.message_ids.filtered(lambda m: "Masih macet di lantai 2" in str(m.body)))
        self.assertFalse(self.second.message_ids.filtered(lambda m: "Masih macet di lantai 2" in str(m.body)))

    def test_visitor_with_the_merged_tickets_link_is_taken_to_the_surviving_ticket(self):
        token = self.second._portal_ensure_token()
        self.second.with_user(self.leader)._merge_into(self.oldest)
        response = self.url_open(f"/my/tickets/{self.second.id}?access_token={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/tickets/{self.oldest.id}?access_token=", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.oldest.code, page.text)
        # A wrong token still opens nothing.
        response = self.url_open(f"/my/tickets/{self.second.id}?access_token=salah", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_other_company_sees_nothing_after_a_merge(self):
        self.second.with_user(self.leader)._merge_into(self.oldest)
        self.authenticate(self.other_portal_user.login, self.other_portal_user.login)
        for ticket in self.second | self.oldest:
            response = self.url_open(f"/my/tickets/{ticket.id}", allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        listing = self.url_open("/my/tickets").text
        self.assertNotIn(self.oldest.code, listing)
