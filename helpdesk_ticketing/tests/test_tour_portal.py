"""Browser flows in headless Chromium (Odoo tours, static/src/tours/helpdesk_portal_tours.js)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env.ref("helpdesk_ticketing.partner_siti")
        cls.agent = cls.env.ref("helpdesk_ticketing.user_agent")
        # The tours read English labels, whatever language the demo users speak.
        cls.env["res.lang"]._activate_lang("en_US")
        (cls.customer | cls.agent.partner_id | cls.env.ref("helpdesk_ticketing.user_leader").partner_id).lang = "en_US"

    def test_customer_creates_agent_answers_customer_rates(self):
        self.start_tour("/my/tickets/new", "helpdesk_portal_create_ticket", login="customer")
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Layar monitor resepsionis berkedip")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual((ticket.partner_id, ticket.channel), (self.customer, "portal"))
        self.assertIn("layar-berkedip.txt", ticket.message_ids.attachment_ids.mapped("name"))
        # The agent of the service desk answers from the backend.
        ticket.user_id = self.agent
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_backend_answer_ticket", login="agent")
        self.env.invalidate_all()
        self.assertTrue(ticket.first_response_date, "the agent's answer is the SLA's first response")
        ticket.write({"stage_id": self.env.ref("helpdesk_ticketing.stage_solved").id,
                      "solution": "<p>Kabel monitor diganti.</p>"})
        self.start_tour(f"/my/tickets/{ticket.id}", "helpdesk_portal_rate_ticket", login="customer")
        self.env.invalidate_all()
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(ticket.rating_last_feedback, "Cepat dan ramah, terima kasih!")

    def test_conversation_in_the_customers_language(self):
        """The portal loads the translations of Odoo's mail chatter, not only web's and portal's."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.customer.lang = "id_ID"
        ticket = (
            self.env["helpdesk.ticket"]
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create({"name": "Printer lantai 3 mati", "partner_id": self.customer.id})
        )
        self.start_tour(f"/my/tickets/{ticket.id}", "helpdesk_portal_conversation_in_indonesian", login="customer")

    def test_leader_approves_permit_customer_downloads_letter(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_dc_visit")
        approval = ticket.approval_ids.filtered(lambda a: a.kind == "validation" and a.state == "pending")
        self.assertTrue(approval)
        approval.write({"visit_date_from": "2026-12-01", "visit_date_to": "2026-12-01"})
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_backend_approve_permit", login="leader")
        self.env.invalidate_all()
        self.assertEqual(approval.state, "approved")
        self.start_tour(f"/my/tickets/{ticket.id}", "helpdesk_portal_download_permit", login="customer")

    def test_ticket_list_is_a_table_on_a_desktop(self):
        self.env["helpdesk.ticket"].create({"name": "Printer lantai 3 mati", "partner_id": self.customer.id})
        self.start_tour("/my/tickets", "helpdesk_portal_ticket_list_desktop", login="customer")


@tagged("post_install", "-at_install")
class TestPortalToursOnPhone(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_ticket_list_is_cards_on_a_phone(self):
        customer = self.env.ref("helpdesk_ticketing.partner_siti")
        self.env["helpdesk.ticket"].create({"name": "Printer lantai 3 mati", "partner_id": customer.id})
        self.start_tour("/my/tickets", "helpdesk_portal_ticket_list_phone", login="customer")
