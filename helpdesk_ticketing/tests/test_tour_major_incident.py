"""What a team leader clicks to declare a major incident and attach a ticket to it, in headless Chromium
(static/src/tours/helpdesk_major_incident_tours.js), on the demo configuration."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMajorIncidentTour(HttpCase):
    def test_leader_declares_a_major_incident_and_attaches_a_ticket(self):
        ref = self.env.ref
        Ticket = self.env["helpdesk.ticket"]
        common = {"team_id": ref("helpdesk_ticketing.team_service_desk").id,
                  "category_id": ref("helpdesk_ticketing.category_network").id}
        incident = Ticket.create({"name": "Jaringan kantor pusat mati", "channel": "phone",
                                  "partner_id": ref("helpdesk_ticketing.partner_siti").id, **common})
        child = Ticket.create({"name": "Internet mati di lantai 2", "channel": "portal",
                               "partner_id": ref("helpdesk_ticketing.partner_andi").id, **common})
        self.start_tour(f"/odoo/helpdesk.ticket/{incident.id}", "helpdesk_major_incident_declare_attach",
                        login="leader")
        self.assertTrue(incident.is_major_incident)
        self.assertEqual(incident.child_incident_ids, child)
        self.assertEqual(child.major_incident_id, incident)
