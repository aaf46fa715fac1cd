"""The portal's new-ticket form suggests articles at phone width (static/src/tours/helpdesk_kb_tours.js)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKnowledgeBaseTourOnPhone(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_customer_finds_the_answer_instead_of_filing_a_ticket(self):
        customer = self.env.ref("helpdesk_ticketing.partner_siti")
        article = self.env.ref("helpdesk_ticketing.kb_article_printer_paper_jam")
        # The tour reads English labels, whatever language the demo customer speaks.
        self.env["res.lang"]._activate_lang("en_US")
        customer.lang = "en_US"
        tickets = self.env["helpdesk.ticket"].search_count([])
        self.start_tour("/my/tickets/new", "helpdesk_portal_kb_deflection", login="customer")
        self.env.invalidate_all()
        self.assertEqual(article.deflection_count, 1)
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), tickets, "no ticket was created")


@tagged("post_install", "-at_install")
class TestKnowledgeBaseBackendTour(HttpCase):
    def test_agent_answers_with_a_suggested_article(self):
        ticket = self.env.ref("helpdesk_ticketing.ticket_printer")
        ticket.user_id = self.env.ref("helpdesk_ticketing.user_agent")
        article = self.env.ref("helpdesk_ticketing.kb_article_printer_paper_jam")
        self.start_tour(f"/odoo/helpdesk.ticket/{ticket.id}", "helpdesk_backend_kb_insert_article", login="agent")
        self.env.invalidate_all()
        self.assertEqual(ticket.kb_article_ids, article)
        self.assertIn(f"/helpdesk/help/article/{article.id}", ticket.message_ids[0].body)
