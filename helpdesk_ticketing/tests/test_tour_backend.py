"""What agents click in the backend, in headless Chromium (static/src/tours/helpdesk_backend_tours.js),
on the demo configuration (SLA policies and approval rules active). A tour fails on any error in the
browser console, so this also proves the SLA widget renders.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestBackendTours(HttpCase):
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

    def test_agent_hands_a_ticket_over_to_a_colleague(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        dewi = self.env.ref("helpdesk_ticketing.user_agent_dewi")
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Scanner loket macet", "partner_id": self.env.ref("helpdesk_ticketing.partner_siti").id,
            "team_id": self.env.ref("helpdesk_ticketing.team_service_desk").id, "user_id": agent.id,
        })
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_backend_hand_over", login="agent")
        self.assertEqual(ticket.user_id, dewi)
        self.assertEqual(ticket.escalation_ids.mapped("reason"), ["Shift saya selesai, Dewi melanjutkan"])
        self.assertEqual(ticket.escalation_ids.user_id, agent)

    def test_agent_overview_to_late_ticket(self):
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        team = self.env["helpdesk.team"].create({
            "name": "Tim Tur", "member_line_ids": [(0, 0, {"user_id": agent.id})],
        })
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Router tur mati", "team_id": team.id, "user_id": agent.id,
            "partner_id": self.env.ref("helpdesk_ticketing.partner_siti").id,
        })
        # Deadlines relative to the moment the browser reads them: one passed, one ahead.
        now = fields.Datetime.now()
        ticket.write({
            "sla_id": self.env["helpdesk.sla"].search([], limit=1).id,
            "sla_response_deadline": now - timedelta(hours=2),
            "sla_resolve_deadline": now + timedelta(days=2),
            "sla_at_risk_date": now + timedelta(days=1),
            "sla_status": "breached",
        })
        self.start_tour("/odoo", "helpdesk_backend_overview_sla", login="agent")
