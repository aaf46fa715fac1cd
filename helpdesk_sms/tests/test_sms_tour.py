from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSmsTour(HttpCase):
    def test_gateway_configuration_can_be_copied_tour(self):
        """The gateway form's smsdrc snippet uses a widget Odoo 19 has: shown, and copied with a button."""
        new_test_user(self.env, "hd_sms_tour_manager", groups="helpdesk_ticketing.group_helpdesk_manager")
        gateway = self.env.ref("helpdesk_sms.gateway_bandung")
        self.start_tour(f"/odoo/helpdesk.sms.gateway/{gateway.id}", "helpdesk_sms_gateway_tour",
                        login="hd_sms_tour_manager")
