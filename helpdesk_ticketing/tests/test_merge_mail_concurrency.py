"""An e-mail reply to a ticket being merged, in two real transactions: it lands on the surviving ticket
exactly once, as the SMS does (helpdesk_sms/tests/test_merge_sms.py)."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import MANAGER, CommittedCase, create_staff
from .test_mail_gateway import MAIL

BODY = "Kabel LAN sudah diganti tapi masih putus"


@tagged("post_install", "-at_install")
class TestMergeMailConcurrency(CommittedCase):
    def setUp(self):
        super().setUp()
        with self.committed_env(tracking_disable=True) as env:
            team = env["helpdesk.team"].create({"name": "Tim Gabung Surel", "assignment_method": "manual"})
            self.remember(team)
            self.manager = self.remember(create_staff(env, "t_merge_mail_manager", MANAGER, "Manajer Surel"))[0]
            customer = env["res.partner"].create({"name": "PT Surel Ganda", "is_company": True})
            contact = env["res.partner"].create({
                "name": "Wulan Surel", "parent_id": customer.id, "email": "wulan@surelganda.example.co.id",
            })
            self.remember(customer | contact)
            Ticket = env["helpdesk.ticket"]
            self.survivor = self.remember(Ticket.create({"name": "LAN putus", "partner_id": contact.id,
                                                         "team_id": team.id}))[0]
            merged = Ticket.create({"name": "LAN putus lagi", "partner_id": contact.id, "team_id": team.id})
            self.merged = self.remember(merged)[0]
            merged.message_post(body="Kami cek ke lokasi", message_type="comment", subtype_xmlid="mail.mt_comment")
            self.thread_message_id = merged.message_ids[0].message_id

    def mail(self, number):
        return MAIL.format(
            email_from="Wulan Surel <wulan@surelganda.example.co.id>", to="helpdesk@example.co.id",
            subject="Re: LAN putus lagi", msg_id=f"<merge-race-{number}@surelganda>", body=BODY,
            extra=f"In-Reply-To: {self.thread_message_id}\nReferences: {self.thread_message_id}\n",
        )

    def receive(self, env, number):
        env["mail.thread"].message_process(None, self.mail(number))

    def merge(self, env):
        Ticket = env["helpdesk.ticket"].with_user(self.manager)
        Ticket.browse(self.merged)._merge_into(Ticket.browse(self.survivor))

    def assert_landed_once_on_survivor(self):
        with self.committed_env() as env:
            Ticket = env["helpdesk.ticket"]
            self.assertEqual(Ticket.browse(self.merged).merged_into_id.id, self.survivor)
            replies = env["mail.message"].search([("body", "ilike", BODY), ("model", "=", "helpdesk.ticket")])
            self.assertEqual(len(replies), 1, "the e-mail is stored once")
            self.assertEqual(replies.res_id, self.survivor)

    def test_email_arriving_during_the_merge_waits_and_lands_on_the_surviving_ticket(self):
        outcome = {}

        def mail_fetcher():
            outcome["first"] = self.attempt(self.receive, 1)

        with self.registry.cursor() as cr:
            self.merge(api.Environment(cr, self.manager, {}))
            fetcher = threading.Thread(target=mail_fetcher)
            fetcher.start()
            self.wait_for_lock_waiter()  # the e-mail waits for the merge's rows
        fetcher.join(10)
        self.assertEqual(outcome["first"], "SerializationFailure")
        # The mail fetcher keeps the message and processes it again at its next run.
        self.assertEqual(self.attempt(self.receive, 1), "done")
        self.assert_landed_once_on_survivor()

    def test_merge_while_an_email_is_stored_waits_then_moves_it(self):
        with self.registry.cursor() as cr:
            self.receive(api.Environment(cr, SUPERUSER_ID, {}), 2)
            self.assertEqual(self.attempt(self.merge), "UserError", "the leader is asked to try again")
        self.assertEqual(self.attempt(self.merge), "done")
        self.assert_landed_once_on_survivor()
