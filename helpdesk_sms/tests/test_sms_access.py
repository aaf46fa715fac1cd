from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..tools import gammu_store
from .common import HelpdeskSmsCase


@tagged("post_install", "-at_install")
class TestSmsAccess(HelpdeskSmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms = cls.env["helpdesk.sms.message"].create({
            "gateway_id": cls.gateway.id, "state": "received", "number": "+6281277771111",
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

    def _composer(self, user):
        """Odoo's SMS composer as the ticket's "Send SMS" button opens it."""
        action = self.ticket.with_user(user).action_open_sms_composer()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_composer_takes_the_customers_number_and_refuses_a_bad_one(self):
        form = self._composer(self.agent)
        self.assertEqual(form.recipient_single_number_itf, "+6281277771111")
        form.body = "Teknisi datang jam 14.00"
        form.recipient_single_number_itf = "bukan nomor"
        with self.assertRaisesRegex(UserError, "Invalid recipient number"):
            form.save().action_send_sms()
        form.recipient_single_number_itf = "+6281277771111"
        form.body = "x" * 1600
        with self.assertRaisesRegex(UserError, "shorten it"):
            form.save().action_send_sms()

    def test_agent_of_another_team_cannot_send_on_the_ticket(self):
        with self.assertRaises(AccessError):
            form = self._composer(self.other_agent)
            form.body = "Halo"
            form.save().action_send_sms()

    def test_agent_reply_is_queued_on_the_gateway_logged_and_counts_as_first_response(self):
        form = self._composer(self.agent)
        form.body = "Teknisi datang jam 14.00"
        form.save().action_send_sms()
        message = self.ticket.message_ids.filtered(lambda m: m.message_type == "sms")
        self.assertIn("Teknisi datang", message.body)
        self.assertEqual((message.author_id, message.subtype_id), (self.agent.partner_id,
                                                                   self.env.ref("mail.mt_note")))
        sms = self.env["sms.sms"].search([("mail_message_id", "=", message.id)])
        self.assertEqual((sms.state, sms.number, sms.gammu_gateway_id), ("outgoing", "+6281277771111", self.gateway),
                         "waiting for the commit to go into gammu's outbox")
        notification = message.notification_ids
        self.assertEqual((notification.notification_type, notification.notification_status), ("sms", "ready"),
                         "the chatter shows the SMS as queued")
        self.assertTrue(self.ticket.first_response_date)

    def test_failed_sms_is_retried_under_a_new_creator_id(self):
        sms = self.env["sms.sms"].create({
            "number": "+6281277771111", "body": "Halo", "gammu_gateway_id": self.gateway.id, "state": "process",
            "gammu_id": 41,
        })
        first_key = sms._gammu_creator_id()
        sms._gammu_apply_sentitems({41: [gammu_store.SentPart(41, 1, "SendingError", 27, None)]})
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("SendingError (error 27)", sms.gammu_error)
        sms.with_user(self.manager).action_set_outgoing()
        self.assertEqual(sms.state, "outgoing")
        self.assertNotEqual(sms._gammu_creator_id(), first_key, "gammu gets a new CreatorID")

    def test_agents_do_not_read_the_sent_sms_log(self):
        sms = self.env["sms.sms"].create({"number": "+6281277771111", "body": "Halo",
                                          "gammu_gateway_id": self.gateway.id})
        with self.assertRaises(AccessError):
            sms.with_user(self.agent).read(["body"])
        self.assertEqual(sms.with_user(self.manager).body, "Halo")
