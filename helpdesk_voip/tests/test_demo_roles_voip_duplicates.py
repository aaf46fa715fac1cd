import json

from odoo.addons.helpdesk_ticketing.tests.common import WebClientCalls
from odoo.tests import HttpCase, freeze_time, tagged


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")  # Tuesday 10:00 WIB
class TestDemoCallDuplicates(WebClientCalls, HttpCase):
    """The demo customer Siti, who has open tickets, calls the demo PBX: the call is linked to her newest open
    ticket, the agent's pop-up offers that ticket first, and the catch is counted on the call channel."""

    def setUp(self):
        super().setUp()
        self.pbx = self.env.ref("helpdesk_voip.pbx_asterisk_bandung")
        self.pbx.token = "demo-dupes-pbx-token"
        self.siti = self.env.ref("helpdesk_ticketing.partner_siti")
        self.agent = self.env.ref("helpdesk_ticketing.user_agent")

    def ring(self, call_id, number):
        events = [{"event": "ringing", "call_id": call_id, "from": number, "to": self.agent.sip_extension,
                   "timestamp": "2026-11-24T03:00:00Z"}]
        response = self.url_open(f"/helpdesk_voip/webhook/{self.pbx.id}", data=json.dumps({"events": events}),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer demo-dupes-pbx-token"})
        self.assertEqual(response.status_code, 200, response.text)
        return self.env["helpdesk.voip.call"].search([("call_id", "=", call_id)])

    def test_call_of_a_customer_with_an_open_ticket_is_linked_to_it(self):
        newest = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", self.siti.id), ("is_closed", "=", False)], order="create_date desc, id desc", limit=1)
        self.assertTrue(newest, "the demo customer has open tickets")
        call = self.ring("demo-dupes-1", self.siti.phone)
        self.assertEqual(call.ticket_id, newest)
        self.assertFalse(call.ticket_created)

        payload = call.with_user(self.agent)._popup_payload()
        self.assertEqual(payload["ticket"]["id"], newest.id)
        self.assertEqual(payload["open_tickets"][0]["id"], newest.id, "offered first")

        self.authenticate("agent", "agent")
        opened = self.call_kw("helpdesk.voip.call", "action_open_ticket", [call.ids])
        self.assertEqual((opened["res_model"], opened["res_id"]), ("helpdesk.ticket", newest.id))
        events = self.call_kw("helpdesk.duplicate.event", "search_read",
                              [[("voip_call_id", "=", call.id)], ["channel", "ticket_id"]])
        self.assertEqual([(e["channel"], e["ticket_id"][0]) for e in events], [("call", newest.id)])
        self.assertEqual(newest.duplicate_channel, "call")

    def test_new_ticket_from_the_call_is_no_duplicate_caught(self):
        call = self.ring("demo-dupes-2", self.siti.phone)
        self.assertTrue(call.ticket_id)
        self.authenticate("agent", "agent")
        action = self.call_kw("helpdesk.voip.call", "action_create_ticket", [call.ids])
        self.assertEqual(call.ticket_id.id, action["res_id"])
        self.assertTrue(call.ticket_created)
        self.assertFalse(self.env["helpdesk.duplicate.event"].search([("voip_call_id", "=", call.id)]))

    def test_unknown_number_is_not_linked(self):
        call = self.ring("demo-dupes-3", "+62 812 9000 8899")
        self.assertFalse(call.partner_id)
        self.assertFalse(call.ticket_id)
        self.assertNotIn("ticket", call._popup_payload())
