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

    def test_leader_attaches_a_ticket_from_the_list(self):
        ref = self.env.ref
        Ticket = self.env["helpdesk.ticket"]
        team = ref("helpdesk_ticketing.team_service_desk")
        incident = Ticket.create({"name": "Jaringan kantor pusat mati", "channel": "phone", "team_id": team.id,
                                  "partner_id": ref("helpdesk_ticketing.partner_siti").id})
        incident.with_user(ref("helpdesk_ticketing.user_leader")).action_declare_major_incident()
        child = Ticket.create({"name": "Kabel jaringan loket putus", "channel": "sms", "team_id": team.id,
                               "partner_id": ref("helpdesk_ticketing.partner_andi").id})
        self.start_tour("/odoo/action-helpdesk_ticketing.helpdesk_ticket_action",
                        "helpdesk_major_incident_attach_from_list", login="leader")
        self.assertEqual(child.major_incident_id, incident)
