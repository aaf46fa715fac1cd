from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestVoipTour(HttpCase):
    def test_call_log_dial_and_popup_tour(self):
        """Agent Budi: the call log on a customer, the dial button, and the caller pop-up."""
        budi = self.env.ref("helpdesk_ticketing.user_agent")
        # The tour reads the English labels, whatever languages the database has.
        self.env["res.lang"]._activate_lang("en_US")
        # Nothing listens there: the dial button must explain it.
        budi.write({"sip_extension": "1001", "softphone_control_url": "tcp://127.0.0.1:9", "lang": "en_US"})
        self.env.ref("helpdesk_voip.pbx_asterisk_bandung").token = "helpdesk-voip-tour-token"
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.start_tour(f"/odoo/res.partner/{siti.id}", "helpdesk_voip_tour", login="agent")
        call = self.env["helpdesk.voip.call"].search([("call_id", "=", "tour-call-1@asterisk")])
        self.assertEqual(call.partner_id, siti)
        self.assertTrue(call.ticket_created)
        self.assertEqual(call.ticket_id.partner_id, siti)

    def test_call_list_shows_durations_and_numbers_tour(self):
        """Agent Budi's call list at 1400×900: 184 s read 3:04 (list, total, form), numbers are not cut."""
        self.browser_size = "1400x900"
        self.start_tour("/odoo/action-helpdesk_voip.helpdesk_voip_call_action", "helpdesk_voip_call_list_tour",
                        login="agent")
