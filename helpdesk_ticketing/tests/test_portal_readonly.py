"""Portal pages a read replica can serve (routes marked ``readonly``), and the exception that keeps a
lagging replica from hiding what the customer just did.

In tests, a read-only route runs in a READ ONLY transaction, as on a replica: a write there fails and
Odoo retries the request on the primary with a warning, which these tests refuse.
"""

from contextlib import contextmanager
from unittest.mock import patch

from odoo import fields
from odoo.addons.helpdesk_ticketing.controllers.portal import HelpdeskCustomerPortal
from odoo.http import request
from odoo.tests import tagged

from .test_portal import PortalCase


@tagged("post_install", "-at_install")
class TestPortalReadonly(PortalCase):
    def open_read_only(self, url):
        """GET url; assert it was served read-only without a retry on the primary."""
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    @contextmanager
    def page_cursors(self):
        """Whether each ticket page rendered meanwhile read a read-only cursor (a replica's)."""
        modes = []
        original = HelpdeskCustomerPortal._ticket_page_values

        def spy(controller, *args, **kwargs):
            modes.append(request.env.cr.readonly)
            return original(controller, *args, **kwargs)

        with patch.object(HelpdeskCustomerPortal, "_ticket_page_values", spy):
            yield modes

    def served_read_only(self, url):
        with self.page_cursors() as modes:
            self.url_open(url)
        return modes == [True]

    def test_pages_that_only_read_are_served_read_only(self):
        self.ticket_a.category_id = self.category_visit
        self.ticket_a.site_id = self.site_dc
        self.ticket_a._request_validations()
        approval = self.ticket_a.approval_ids
        approval.write({"visit_date_from": fields.Date.today(), "visitor_names": "Rudi Hartono"})
        approval.with_user(self.leader).action_approve("Bawa KTP asli")
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for url in (
            "/my/tickets",
            "/my/tickets?filterby=open&groupby=stage_id&search=printer",
            f"/my/tickets/{self.ticket_a.id}",
            "/my/tickets/new",
            f"/my/tickets/{self.ticket_a.id}/work_permit/{approval.id}",
        ):
            with self.subTest(url=url):
                self.open_read_only(url)
        self.assertTrue(self.served_read_only(f"/my/tickets/{self.ticket_a.id}"))

    def test_first_page_after_creating_a_ticket_reads_the_primary(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        with self.page_cursors() as modes:
            response = self.post_form(
                "/my/tickets/new", {"name": "Monitor kasir berkedip", "category_id": str(self.category.id)}
            )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Monitor kasir berkedip")])
        self.assertIn(f"/my/tickets/{ticket.id}", response.url)
        self.assertEqual(modes, [False], "the page right after creation reads the primary")
        self.assertTrue(self.served_read_only(f"/my/tickets/{ticket.id}"), "later views read the replica")

    def test_first_page_after_reopening_or_rating_reads_the_primary(self):
        self.ticket_a.stage_id = self.stage_solved
        self.authenticate(self.portal_a.login, self.portal_a.login)
        with self.page_cursors() as modes:
            self.post_form(f"/my/tickets/{self.ticket_a.id}/rate", {"rating": "5"})
        self.assertEqual(modes, [False], "the page shown after rating reads the primary")
        self.assertTrue(self.served_read_only(f"/my/tickets/{self.ticket_a.id}"))
        with self.page_cursors() as modes:
            self.post_form(f"/my/tickets/{self.ticket_a.id}/reopen", {"reason": "Printer macet lagi"})
        self.assertEqual(modes, [False], "the page shown after reopening reads the primary")
        self.assertFalse(self.ticket_a.is_closed)
