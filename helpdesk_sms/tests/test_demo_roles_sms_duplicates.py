import itertools
from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, freeze_time, tagged

from ..tools.gammu_store import InboxRow

NUMBER = "0812 9000 4455"  # no demo contact has it: the first SMS makes the contact
NUMBER_E164 = "+6281290004455"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")  # Tuesday 10:00 WIB
class TestDemoSmsDuplicates(TransactionCase):
    """The demo modem of the Service Desk (24-hour follow-up window): a customer who texts again without the
    ticket code within the window adds to their open ticket instead of opening another one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.gateway = ref("helpdesk_sms.gateway_bandung")
        cls.team = ref("helpdesk_ticketing.team_service_desk")
        cls.agent, cls.leader = ref("helpdesk_ticketing.user_agent"), ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")

    def test_demo_team_window(self):
        self.assertEqual(self.gateway.team_id, self.team)
        self.assertEqual(self.team.sms_duplicate_window_hours, 24, "the default window")

    def setUp(self):
        super().setUp()
        self.inbox_ids = itertools.count(700001)

    def receive(self, *messages):
        """What the importer does with a batch of inbox rows [(sender, text)] (as the system, like the cron)."""
        groups = [
            self.gateway._make_group([InboxRow((next(self.inbox_ids), sender, "Default_No_Compression", "", "",
                                                text, 0))])
            for sender, text in messages
        ]
        self.env["helpdesk.sms.message"]._import_groups(self.gateway, groups)
        return self.env["helpdesk.sms.message"].search(
            [("gateway_id", "=", self.gateway.id), ("gammu_id", "in", [g["key"] for g in groups])], order="gammu_id")

    def age(self, ticket, hours):
        """The ticket as if opened `hours` before this transaction's time (the time the intake compares with)."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                            [self.env.cr.now() - timedelta(hours=hours), ticket.id])
        ticket.invalidate_recordset(["create_date"])

    def test_second_sms_within_the_window_is_added_to_the_open_ticket(self):
        first = self.receive((NUMBER, "Internet kantor cabang Cimahi mati"))
        ticket = first.ticket_id
        self.age(ticket, 23)
        second = self.receive((NUMBER, "Masih mati sampai sekarang, mohon dicek"))
        self.assertEqual(second.ticket_id, ticket, "no second ticket")
        self.assertEqual(second.partner_id, first.partner_id)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([("partner_id", "=", first.partner_id.id)]), 1)

        # The agent of the team reads it in the ticket's conversation, written by the customer.
        as_agent = ticket.with_user(self.agent)
        reply = as_agent.message_ids.filtered(lambda m: "Masih mati" in m.body)
        self.assertEqual(reply.author_id, first.partner_id)
        self.assertEqual(as_agent.duplicate_channel, "sms")
        self.assertEqual(as_agent.duplicate_event_ids.mapped("channel"), ["sms"])
        self.assertEqual(as_agent.duplicate_event_ids.sms_message_id, second)

        # The leader's report counts it on the SMS channel.
        groups = self.env["helpdesk.duplicate.event"].with_user(self.leader).formatted_read_group(
            [("ticket_id", "=", ticket.id)], ["channel"], ["event_count:sum"])
        self.assertEqual([(g["channel"], g["event_count:sum"]) for g in groups], [("sms", 1)])

    def test_follow_ups_are_added_in_a_constant_number_of_queries(self):
        """Customers texting again within the window are replies: a batch of them costs the same few queries
        whether it holds 5 or 25 (no query per SMS, as when each reply ran its own lookups)."""
        def follow_ups(count, group):
            numbers = [f"0812 9100 {group}{i:03d}" for i in range(count)]
            self.receive(*[(number, "Printer kantor tidak bisa mencetak") for number in numbers])
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            replies = self.receive(*[(number, "Masih belum bisa, mohon dicek") for number in numbers])
            self.env.flush_all()
            self.assertEqual(len(replies.ticket_id), count, "each on its sender's ticket")
            return self.env.cr.sql_log_count - before

        small, large = follow_ups(5, 1), follow_ups(25, 2)
        self.assertLess((large - small) / 20, 0.5, f"{small} queries for 5 follow-ups, {large} for 25")

    def test_sms_after_the_window_opens_a_new_ticket(self):
        ticket = self.receive((NUMBER, "Internet kantor cabang Cimahi mati")).ticket_id
        self.age(ticket, 25)
        later = self.receive((NUMBER, "Internet mati lagi"))
        self.assertNotEqual(later.ticket_id, ticket)
        self.assertFalse(ticket.duplicate_event_ids)

    def test_sms_after_the_ticket_closed_opens_a_new_ticket(self):
        ticket = self.receive((NUMBER, "Internet kantor cabang Cimahi mati")).ticket_id
        ticket.with_user(self.manager).stage_id = self.env.ref("helpdesk_ticketing.stage_cancelled")
        later = self.receive((NUMBER, "Internet mati lagi"))
        self.assertNotEqual(later.ticket_id, ticket)

    def test_other_number_and_ticket_code(self):
        ticket = self.receive((NUMBER, "Internet kantor cabang Cimahi mati")).ticket_id
        other = self.receive(("0812 9000 6677", "Internet kantor cabang Cimahi mati"))
        self.assertNotEqual(other.ticket_id, ticket, "another number is another customer's request")
        # A code names the ticket, also another one than the sender's newest open ticket.
        coded = self.receive((NUMBER, f"{other.ticket_id.code} saya ikut melapor"))
        self.assertEqual(coded.ticket_id, other.ticket_id)
        self.assertFalse((ticket | other.ticket_id).duplicate_event_ids, "a reply by code is no duplicate caught")

    def test_two_sms_in_one_batch_open_one_ticket(self):
        first, second = self.receive((NUMBER, "Komputer kasir mati"), (NUMBER, "Tolong segera"))
        self.assertEqual(first.ticket_id, second.ticket_id)
        self.assertEqual(first.ticket_id.message_ids.sorted("id")[0], first.mail_message_id,
                         "the first SMS starts the conversation")
        self.assertEqual(first.ticket_id.duplicate_event_ids.sms_message_id, second)
        self.assertTrue(self.env["mail.message.schedule"].search([("mail_message_id", "=",
                                                                    second.mail_message_id.id)]),
                        "the follow-up is a customer reply its followers hear of")

    def test_window_set_by_the_manager(self):
        with self.assertRaises(AccessError):
            self.team.with_user(self.leader).sms_duplicate_window_hours = 48
        form = Form(self.team.with_user(self.manager))
        form.sms_duplicate_window_hours = -1
        # The request's transaction is rolled back on the error, as the web client's call is.
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.env.cr.savepoint():
            form.save()
        self.assertEqual(self.team.sms_duplicate_window_hours, 24, "nothing changed")
        with Form(self.team.with_user(self.manager)) as form:
            form.sms_duplicate_window_hours = 0
        first = self.receive((NUMBER, "Internet kantor cabang Cimahi mati"))
        second = self.receive((NUMBER, "Masih mati"))
        self.assertNotEqual(second.ticket_id, first.ticket_id, "0 hours: every SMS without code is a ticket")
