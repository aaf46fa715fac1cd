"""Issue 13 through the demo modem: canned replies in the SMS composer, ratings answered by SMS."""
import itertools

from odoo.tests import Form, TransactionCase, freeze_time, tagged

from ..models.helpdesk_ticket_rating import rating_score
from ..tools import sms_codec
from ..tools.gammu_store import InboxRow

NOW = "2026-11-24 03:00:00"  # Tuesday 10:00 WIB
ANDI = "081322223333"  # the demo customer's mobile, as the network writes it


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDemoSmsAnswers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.andi = ref("helpdesk_ticketing.partner_andi")
        cls.gateway = ref("helpdesk_sms.gateway_bandung")
        cls.ticket = ref("helpdesk_ticketing.ticket_password")
        cls.reply_en = ref("helpdesk_ticketing.canned_response_restart_router_en")
        cls.inbox_ids = itertools.count(900001)

    def receive(self, text, sender=ANDI):
        """What the importer does with one inbox row of gammu-smsd (as the system, like the cron)."""
        inbox_id = next(self.inbox_ids)
        row = InboxRow((inbox_id, sender, "Default_No_Compression", "", "", text, 0))
        self.env["helpdesk.sms.message"]._import_groups(self.gateway, [self.gateway._make_group([row])])
        return self.env["helpdesk.sms.message"].search(
            [("gateway_id", "=", self.gateway.id), ("gammu_id", "=", inbox_id)])

    def solve_as_agent(self, ticket, agent=None):
        agent = agent or self.agent
        with Form(ticket.with_user(agent)) as form:
            form.user_id = agent
            form.solution = "<p>Password direset, akun aktif kembali.</p>"
            form.stage_id = self.env.ref("helpdesk_ticketing.stage_solved")
        self.env["helpdesk.ticket"]._cron_send_rating_requests()

    def ratings(self, ticket):
        return ticket.rating_ids.filtered("consumed")

    def test_agent_inserts_a_canned_reply_in_the_sms_composer(self):
        action = self.ticket.with_user(self.agent).action_open_sms_composer()
        form = Form(self.env[action["res_model"]].with_user(self.agent).with_context(**action["context"]))
        form.body = "Pak Andi,"
        form.canned_response_id = self.reply_en
        self.assertTrue(self.ticket.user_id, "{{ agent }} is the assignee")
        expected = (f"Pak Andi,\nHello Andi Firmansyah, about ticket {self.ticket.code}: please switch the router "
                    "off for 30 seconds, then on again. If the problem remains, answer this message. "
                    f"Regards, {self.ticket.user_id.name}")
        self.assertEqual(form.body, expected)
        self.assertFalse(form.canned_response_id, "ready for the next reply")
        self.assertEqual(sms_codec.count(expected)[0], "gsm7")
        self.assertEqual(len(sms_codec.split(expected)), 2, "the part counter follows the inserted text")
        form.save().action_send_sms()
        self.assertEqual(self.reply_en.use_count, 1)
        sms = self.env["sms.sms"].search([("mail_message_id", "in", self.ticket.message_ids.ids)])
        self.assertEqual(sms.body, expected)

    def test_customer_rates_by_sms_digit_once_per_solve(self):
        self.solve_as_agent(self.ticket)
        self.assertEqual((self.ticket.rating_request_state, self.ticket.rating_request_channel), ("sent", "sms"))
        request = self.env["sms.sms"].search([("helpdesk_ticket_id", "=", self.ticket.id)], order="id desc", limit=1)
        token = self.ticket.rating_ids.filtered(lambda r: not r.consumed).access_token
        self.assertIn(f"/rate/{token}/5", request.body)
        self.assertIn("Reply 1-5", request.body)
        self.assertEqual(request.number, "+6281322223333")

        answer = self.receive(" 4. ")
        self.assertEqual(answer.ticket_id, self.ticket)
        self.assertEqual(self.ticket.portal_rating_id.rating, 4)
        self.assertEqual(answer.rating_id, self.ticket.portal_rating_id)
        self.assertEqual(answer.mail_message_id, self.ticket.portal_rating_id.message_id, "one chatter message")
        self.assertEqual(self.ticket.rating_last_value, 4)

        # A "5" after the rating was given is an ordinary SMS: never a second rating.
        # (The demo customer has another ticket open: within the team's follow-up window, it goes there.)
        replay = self.receive("5")
        self.assertFalse(replay.rating_id)
        self.assertNotEqual(replay.ticket_id, self.ticket)
        self.assertFalse(replay.ticket_id.is_closed, "handled as a customer's new message")
        self.assertEqual(self.ratings(self.ticket).mapped("rating"), [4])

    def test_puas_and_tidak_puas(self):
        self.solve_as_agent(self.ticket)
        self.receive("Tidak puas!")
        self.assertEqual(self.ticket.portal_rating_id.rating, 1)
        wifi = self.receive("Wi-Fi ruang rapat mati", sender="081377778888").ticket_id
        self.assertEqual(wifi.channel, "sms")
        self.solve_as_agent(wifi)
        self.receive("PUAS", sender="081377778888")
        self.assertEqual(wifi.portal_rating_id.rating, 5)
        self.assertEqual(self.ratings(self.ticket).mapped("rating"), [1])

    def test_old_request_is_not_answered_by_a_digit(self):
        self.solve_as_agent(self.ticket)
        with freeze_time("2026-12-05 03:00:00"):
            sms = self.receive("5")
        self.assertFalse(sms.rating_id)
        self.assertFalse(self.ratings(self.ticket))

    def test_rating_answers_are_recognised(self):
        for text, score in [("5", 5), (" 1 ", 1), ("3.", 3), ("puas", 5), ("Tidak Puas", 1), ("tdk puas.", 1),
                            ("6", 0), ("15", 0), ("5 printer masih rusak", 0), ("", 0), ("terima kasih", 0)]:
            self.assertEqual(rating_score(text), score, text)
