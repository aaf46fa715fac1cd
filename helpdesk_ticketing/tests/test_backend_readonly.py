from odoo.tests import HttpCase, tagged

from .common import WebClientCalls

TEAM_VIEWS = (
    "action_view_tickets", "action_view_my_tickets", "action_view_unassigned_tickets", "action_view_urgent_tickets",
    "action_view_at_risk_tickets", "action_view_breached_tickets", "action_view_approvals_to_decide",
)


@tagged("post_install", "-at_install")
class TestBackendReadOnly(WebClientCalls, HttpCase):
    """Buttons that only open something (the overview's counts, the queue, the escalation wizard, the
    ratings) are served read-only, so a read replica takes them (see README, Production)."""

    def test_overview_queue_and_ticket_buttons_only_read(self):
        ref = self.env.ref
        team, ticket = ref("helpdesk_ticketing.team_service_desk"), ref("helpdesk_ticketing.ticket_printer")
        self.authenticate("leader", "leader")
        for method in TEAM_VIEWS:
            action = self.call_button_read_only("helpdesk.team", method, team.ids)
            self.assertEqual(action["res_model"], "helpdesk.ticket", method)
        self.authenticate("agent", "agent")
        self.assertEqual(self.call_button_read_only("helpdesk.ticket", "action_open_queue")["res_model"],
                         "helpdesk.ticket")
        self.assertEqual(self.call_button_read_only("helpdesk.ticket", "action_open_escalation_wizard",
                                                    ticket.ids)["res_model"], "helpdesk.escalation.wizard")
        self.assertEqual(self.call_button_read_only("helpdesk.ticket", "action_open_ratings", ticket.ids)["res_model"],
                         "rating.rating")
