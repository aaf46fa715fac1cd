from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBackendTours(HttpCase):
    """What agents click, on the demo configuration (SLA policies and approval rules active)."""

    def test_agent_types_a_phone_ticket_and_escalates_it(self):
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        email = siti.email
        self.assertTrue(self.env.ref("helpdesk_ticketing.sla_standard").active)
        self.start_tour("/odoo/helpdesk.ticket/new", "helpdesk_backend_phone_ticket_escalate", login="agent")
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Monitor kasir berkedip")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.env.ref("helpdesk_ticketing.team_network"))
        self.assertTrue(ticket.sla_id)
        self.assertEqual(ticket.escalation_ids.user_id, self.env.ref("helpdesk_ticketing.user_agent"))
        self.assertEqual(siti.email, email)
