from odoo.addons.helpdesk_ticketing.tests.common import WebClientCalls
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTerminalButtonsReadOnly(WebClientCalls, HttpCase):
    """A server's terminals, a terminal's tickets and the wizards they open only read: served read-only."""

    def test_registry_buttons_only_read(self):
        ref = self.env.ref
        server, terminal = ref("helpdesk_ltsp.server_bandung_balai_kota"), ref("helpdesk_ltsp.terminal_resepsionis")
        self.authenticate("admin", "admin")
        for model, method, record in (
            ("helpdesk.ltsp.server", "action_view_terminals", server),
            ("helpdesk.ltsp.server", "action_open_import", server),
            ("helpdesk.ltsp.terminal", "action_view_tickets", terminal),
            ("helpdesk.ltsp.terminal", "action_open_move_wizard", terminal),
        ):
            self.assertTrue(self.call_button_read_only(model, method, record.ids)["res_model"], method)
