from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLtspTour(HttpCase):
    """What leader Rina sees at 1400×900."""

    browser_size = "1400x900"

    def test_terminal_list_shows_addresses_in_full_tour(self):
        self.start_tour("/odoo/action-helpdesk_ltsp.helpdesk_ltsp_terminal_action",
                        "helpdesk_ltsp_terminal_list_tour", login="leader")

    def test_server_previews_load_nothing_missing_tour(self):
        """The ltsp.conf and dnsmasq previews show the files without asking for an editor mode Odoo lacks."""
        server = self.env.ref("helpdesk_ltsp.server_bandung_balai_kota")
        self.start_tour(f"/odoo/helpdesk.ltsp.server/{server.id}", "helpdesk_ltsp_server_preview_tour",
                        login="leader")
