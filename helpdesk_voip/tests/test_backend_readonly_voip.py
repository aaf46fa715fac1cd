from odoo.addons.helpdesk_ticketing.tests.common import WebClientCalls
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCallLogReadOnly(WebClientCalls, HttpCase):
    """The call log's buttons (a ticket's or a contact's calls, a call's contact, a PBX's calls) only read:
    Odoo serves them read-only, from a replica when there is one."""

    def test_call_log_buttons_only_read(self):
        ref = self.env.ref
        self.authenticate("agent", "agent")
        for model, method, record in (
            ("helpdesk.ticket", "action_view_voip_calls", ref("helpdesk_ticketing.ticket_printer")),
            ("res.partner", "action_view_voip_calls", ref("helpdesk_ticketing.partner_siti")),
            ("helpdesk.voip.call", "action_open_partner", ref("helpdesk_voip.call_siti_printer")),
        ):
            self.assertTrue(self.call_button_read_only(model, method, record.ids)["res_model"], method)
        self.authenticate("admin", "admin")
        action = self.call_button_read_only("helpdesk.voip.pbx", "action_view_calls",
                                            ref("helpdesk_voip.pbx_asterisk_bandung").ids)
        self.assertEqual(action["res_model"], "helpdesk.voip.call")
