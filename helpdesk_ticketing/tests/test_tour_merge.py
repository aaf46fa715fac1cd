"""A team leader merges tickets from the list in headless Chromium (static/src/tours/helpdesk_merge_tours.js),
on the demo configuration; a tour fails on any error in the browser console."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMergeTour(HttpCase):
    def test_leader_merges_tickets_from_the_list(self):
        siti = self.env.ref("helpdesk_ticketing.partner_siti")
        team = self.env.ref("helpdesk_ticketing.team_service_desk")
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.create([
            {"name": f"Mesin EDC kasir {number}", "partner_id": siti.id, "team_id": team.id} for number in (1, 2, 3)
        ])
        oldest = tickets[1]  # opened first, created second
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = create_date - interval '1 day' WHERE id = %s",
                            [oldest.id])
        oldest.invalidate_recordset(["create_date"])
        self.start_tour("/odoo/action-helpdesk_ticketing.helpdesk_ticket_action", "helpdesk_merge_from_list",
                        login="leader")
        self.assertEqual((tickets - oldest).merged_into_id, oldest)
        self.assertTrue(all((tickets - oldest).mapped("is_closed")))
        self.assertFalse(oldest.merged_into_id)
