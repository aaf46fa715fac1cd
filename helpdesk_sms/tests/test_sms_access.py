from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import HelpdeskSmsCase


@tagged("post_install", "-at_install")
class TestSmsAccess(HelpdeskSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms = cls.env["helpdesk.sms.message"].create({
            "gateway_id": cls.gateway.id, "direction": "in", "state": "received", "number": "+6281277771111",
            "partner_id": cls.contact.id, "ticket_id": cls.ticket.id, "body": "Printer masih macet", "gammu_id": 7,
        })

    def test_agents_see_the_sms_of_their_teams_only(self):
        self.assertEqual(self.sms.with_user(self.agent).body, "Printer masih macet")
        self.assertEqual(self.sms.with_user(self.leader).body, "Printer masih macet")
        self.assertFalse(self.env["helpdesk.sms.message"].with_user(self.other_agent).search(
            [("id", "=", self.sms.id)]))
        with self.assertRaises(AccessError):
            self.sms.with_user(self.other_agent).read(["body"])

    def test_portal_users_have_no_sms_log(self):
        with self.assertRaises(AccessError):
            self.sms.with_user(self.portal).read(["body"])
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.portal).read(["name"])

    def test_gateway_secrets_stay_hidden(self):
        self.gateway.with_user(self.manager).db_password_input = "rahasia"
        # sudo: the test checks what is stored
        self.assertEqual(self.gateway.sudo().db_password, "rahasia")
        self.env.invalidate_all()
        gateway = self.gateway.with_user(self.manager)
        self.assertFalse(gateway.db_password_input, "the password is never shown back")
        self.assertTrue(gateway.db_password_set)
        with self.assertRaises(AccessError):
            gateway.read(["db_password"])
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.agent).read(["token"])
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.agent).write({"name": "Changed"})

    def test_password_in_dsn_is_moved_out_of_sight(self):
        self.gateway.dsn = "host=gammu.example dbname=smsd user=smsd password=geheim"
        self.assertNotIn("geheim", self.gateway.dsn)
        self.assertEqual(self.gateway.sudo().db_password, "geheim")
        self.assertIn("password=geheim", self.gateway._database_dsn())

    def test_unreachable_database_gives_a_clear_error(self):
        with self.assertRaisesRegex(UserError, "Cannot connect to gammu's database “hd_sms_unit_no_such_db”"):
            self.gateway.action_test_connection()

    def test_composer_counts_and_refuses_bad_input(self):
        composer = self.env["helpdesk.sms.composer"].with_user(self.agent).create({
            "ticket_id": self.ticket.id, "body": "Teknisi datang jam 14.00",
        })
        self.assertEqual(composer.number, "+6281277771111")
        self.assertEqual(composer.gateway_id, self.gateway)
        self.assertEqual((composer.char_count, composer.part_count, composer.encoding), (24, 1, "gsm7"))
        self.assertIn("24 characters, 1 SMS (GSM-7), 136 left", composer.counter)
        composer.body = "Kami mohon maaf 🙏"
        self.assertEqual(composer.encoding, "ucs2")
        composer.number = "bukan nomor"
        with self.assertRaisesRegex(UserError, "is not a phone number"):
            composer.action_send()
        composer.number = "+6281277771111"
        composer.body = "x" * 1600
        with self.assertRaisesRegex(UserError, "shorten it"):
            composer.action_send()
        composer.body = "   "
        with self.assertRaisesRegex(UserError, "Write the message"):
            composer.action_send()

    def test_agent_of_another_team_cannot_send_on_the_ticket(self):
        with self.assertRaises(AccessError):
            self.env["helpdesk.sms.composer"].with_user(self.other_agent).create({
                "ticket_id": self.ticket.id, "body": "Halo",
            }).action_send()

    def test_agent_reply_is_queued_logged_and_counts_as_first_response(self):
        self.env["helpdesk.sms.composer"].with_user(self.agent).create({
            "ticket_id": self.ticket.id, "body": "Teknisi datang jam 14.00",
        }).action_send()
        sms = self.ticket.sms_message_ids.filtered(lambda m: m.event == "reply")
        self.assertEqual((sms.state, sms.direction, sms.author_id), ("queued", "out", self.agent))
        self.assertIn("Teknisi datang", sms.mail_message_id.body)
        self.assertEqual(sms.mail_message_id.subtype_id, self.env.ref("mail.mt_note"))
        self.assertTrue(self.ticket.first_response_date)

    def test_retry_requeues_failed_sms_only(self):
        failed = self.env["helpdesk.sms.message"].create({
            "gateway_id": self.gateway.id, "direction": "out", "state": "error", "number": "+6281277771111",
            "ticket_id": self.ticket.id, "body": "Halo", "gammu_id": 41, "error_message": "SendingError",
        })
        first_key = failed._creator_id()
        failed.with_user(self.agent).action_retry()
        self.assertEqual((failed.state, failed.retry_count, failed.gammu_id), ("queued", 1, 0))
        self.assertNotEqual(failed._creator_id(), first_key, "gammu gets a new CreatorID")
        with self.assertRaisesRegex(UserError, "Only sent SMS that failed"):
            self.sms.action_retry()
