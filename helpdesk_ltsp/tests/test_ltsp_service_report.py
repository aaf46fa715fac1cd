from odoo.tests import tagged

from .common import LtspCase


@tagged("post_install", "-at_install")
class TestLtspServiceReport(LtspCase):
    def test_service_report_names_the_terminal(self):
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Terminal loket tidak bisa boot",
            "partner_id": self.andi.id,
            "team_id": self.team_sd.id,
            "terminal_id": self.loket1.id,
            "solution": "<p>Kabel jaringan terminal diganti.</p>",
        })
        ticket.with_user(self.agent).stage_id = self.stage_solved
        html = self.env["ir.actions.report"].with_user(self.agent)._render_qweb_html(
            "helpdesk_ticketing.action_report_service", ticket.ids
        )[0].decode()
        self.assertIn("loket-01", html)
        self.assertIn("Loket 1", html)
