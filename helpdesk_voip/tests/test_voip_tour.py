from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestVoipTour(HttpCase):
    def test_call_log_dial_and_popup_tour(self):
        """Agent Budi: the call log on a customer, the dial button, and the caller pop-up."""
        budi = self.env.ref("helpdesk_ticketing.user_agent")
        # Nothing listens there: the dial button must explain it.
        budi.write({"sip_extension": "1001", "softphone_control_url": "tcp://127.0.0.1:9"})
        self.env.ref("helpdesk_voip.pbx_asterisk_bandung").token = "helpdesk-voip-tour-token"
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.start_tour(f"/odoo/res.partner/{siti.id}", "helpdesk_voip_tour", login="agent")
        call = self.env["helpdesk.voip.call"].search([("call_id", "=", "tour-call-1@asterisk")])
        self.assertEqual(call.partner_id, siti)
        self.assertTrue(call.ticket_created)
        self.assertEqual(call.ticket_id.partner_id, siti)
