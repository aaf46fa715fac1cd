import json

from odoo.addons.helpdesk_ticketing.tests.common import WebClientCalls
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCallIntake(WebClientCalls, HttpCase):
    """A customer calls the demo PBX; the demo agent who answered makes a ticket of it, in the web client."""

    def test_answered_call_becomes_a_ticket_of_the_agent(self):
        pbx = self.env.ref("helpdesk_voip.pbx_asterisk_bandung")
        pbx.token = "demo-roles-pbx-token"
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        agent = self.env.ref("helpdesk_ticketing.user_agent")
        events = [
            {"event": "ringing", "call_id": "demo-roles-1", "from": siti.phone, "to": agent.sip_extension,
             "timestamp": "2026-11-24T03:00:00Z"},
            {"event": "answered", "call_id": "demo-roles-1", "timestamp": "2026-11-24T03:00:04Z"},
            {"event": "hangup", "call_id": "demo-roles-1", "timestamp": "2026-11-24T03:03:08Z", "sip_code": 200},
        ]
        response = self.url_open(f"/helpdesk_voip/webhook/{pbx.id}", data=json.dumps({"events": events}), headers={
            "Content-Type": "application/json", "Authorization": "Bearer demo-roles-pbx-token"})
        self.assertEqual(response.status_code, 200, response.text)
        call = self.env["helpdesk.voip.call"].search([("call_id", "=", "demo-roles-1")])
        self.assertEqual((call.partner_id, call.user_id, call.outcome), (siti, agent, "answered"))

        self.authenticate("agent", "agent")
        action = self.call_kw("helpdesk.voip.call", "action_create_ticket", [call.ids])
        ticket = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual((ticket.partner_id, ticket.channel, ticket.user_id), (siti, "phone", agent))
        self.assertTrue(ticket.sla_id, "the demo SLA applies")
        self.assertEqual(ticket.first_response_date, call.date_answer, "the answered call was the first response")
        # The agent sees the call on the ticket's call log.
        calls = self.call_kw("helpdesk.voip.call", "search_read", [[("ticket_id", "=", ticket.id)], ["call_id"]])
        self.assertEqual([c["call_id"] for c in calls], ["demo-roles-1"])
