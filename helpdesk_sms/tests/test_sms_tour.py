from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSmsTour(HttpCase):
    def test_gateway_configuration_can_be_copied_tour(self):
        """The gateway form's smsdrc snippet uses a widget Odoo 19 has: shown, and copied with a button."""
        new_test_user(self.env, "hd_sms_tour_manager", groups="helpdesk_ticketing.group_helpdesk_manager")
        gateway = self.env.ref("helpdesk_sms.gateway_bandung")
        self.start_tour(f"/odoo/helpdesk.sms.gateway/{gateway.id}", "helpdesk_sms_gateway_tour",
                        login="hd_sms_tour_manager")

    def test_canned_reply_in_the_sms_composer_tour(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        ticket = self.env.ref("helpdesk_ticketing.ticket_password")
        self.env["res.lang"]._activate_lang("en_US")
        (ticket.partner_id | agent.partner_id).lang = "en_US"
        reply = self.env.ref("helpdesk_ticketing.canned_response_restart_router_en")
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_sms_canned_reply_tour", login="agent")
        self.env.invalidate_all()
        self.assertEqual(reply.use_count, 1)
        sms = self.env["sms.sms"].search([("mail_message_id", "in", ticket.message_ids.ids)])
        self.assertIn(f"about ticket {ticket.code}", sms.body)
