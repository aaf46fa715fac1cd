from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoSmsReply(TransactionCase):
    """The demo agent answers an SMS ticket by SMS from the ticket, through the demo modem."""

    def test_agent_answers_by_sms(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        ticket = self.env.ref("helpdesk_ticketing.ticket_password")
        self.assertIn(agent, ticket.team_id.member_ids)
        action = ticket.with_user(agent).action_open_sms_composer()
        form = Form(self.env[action["res_model"]].with_user(agent).with_context(**action["context"]))
        self.assertEqual(form.recipient_single_number_itf, "+6281322223333",
                         "the customer's mobile, in the form the modem dials")
        form.body = "Password e-mail sudah direset, silakan cek SMS berikutnya untuk kata sandi sementara."
        form.save().action_send_sms()
        sms = self.env["sms.sms"].search([("mail_message_id", "in", ticket.message_ids.ids)])
        self.assertEqual((sms.state, sms.number), ("outgoing", "+6281322223333"))
        self.assertEqual(sms.gammu_gateway_id, self.env.ref("helpdesk_sms.gateway_bandung"))
        self.assertEqual(sms.mail_message_id.author_id, agent.partner_id)
        self.assertTrue(ticket.first_response_date)
