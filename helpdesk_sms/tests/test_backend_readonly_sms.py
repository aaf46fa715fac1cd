from odoo.addons.helpdesk_ticketing.tests.common import WebClientCalls
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSmsButtonsReadOnly(WebClientCalls, HttpCase):
    """Opening an SMS's ticket, a ticket's SMS or the SMS composer only reads: served read-only."""

    def test_sms_buttons_only_read(self):
        ref = self.env.ref
        ticket = ref("helpdesk_ticketing.ticket_printer")
        self.authenticate("agent", "agent")
        action = self.call_button_read_only("helpdesk.sms.message", "action_open_ticket",
                                            ref("helpdesk_sms.sms_demo_in_printer").ids)
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(self.call_button_read_only("helpdesk.ticket", "action_view_sms", ticket.ids)["res_model"],
                         "helpdesk.sms.message")
        self.assertEqual(self.call_button_read_only("helpdesk.ticket", "action_open_sms_composer",
                                                    ticket.ids)["res_model"], "sms.composer")
