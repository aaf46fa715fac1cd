"""What an agent clicks on a possible duplicate, in headless Chromium (static/src/tours/helpdesk_duplicate_tours.js),
on the demo configuration. A tour fails on any error in the browser console, so this also proves the banner renders.
"""
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDuplicateTours(HttpCase):
    def test_agent_says_a_flagged_ticket_is_not_a_duplicate(self):
        printer = self.env.ref("helpdesk_ticketing.ticket_printer")
        ticket = self.env["helpdesk.ticket"].create({
            "name": "Printer lantai 3 tidak mencetak lagi", "channel": "portal",
            "partner_id": self.env.ref("helpdesk_ticketing.partner_siti").id,
            "description": "<p>Kertasnya tidak keluar sama sekali</p>",
        })
        self.assertEqual(ticket.possible_duplicate_id, printer)
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_possible_duplicate_not_duplicate",
                        login="agent")
        self.assertFalse(ticket.possible_duplicate_id)
        self.assertFalse(ticket.duplicate_event_ids)
