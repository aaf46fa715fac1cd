from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import HelpdeskCase


@freeze_time("2026-11-23 09:00:00")
@tagged("post_install", "-at_install")
class TestServiceReport(HelpdeskCase, HttpCase):
    """The service report prints once the leader signed the work off, for staff and for the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.approval.rule"].create(
            {"name": "Sign-off layanan", "kind": "signoff", "team_ids": [(6, 0, cls.team_sd.ids)],
             "approver": "leader"}
        )

    def render(self, user, ticket):
        return self.env["ir.actions.report"].with_user(user)._render_qweb_html(
            "helpdesk_ticketing.action_report_service", ticket.ids
        )[0]

    def worked_ticket(self):
        ticket = self.ticket(
            user_id=self.agent_a.id,
            description="<p>PC kasir mati setelah listrik padam.</p>",
            solution="<p>Catu daya PC kasir diganti.</p>",
            root_cause="Lonjakan listrik tanpa UPS.",
        )
        ticket.with_user(self.agent_a).stage_id = self.stage_progress
        return ticket

    def test_staff_print_after_signoff(self):
        ticket = self.worked_ticket()
        with self.assertRaisesRegex(UserError, "once its resolution sign-off is approved"):
            self.render(self.agent_a, ticket)
        with self.assertRaisesRegex(UserError, "once its resolution sign-off is approved"):
            ticket.with_user(self.agent_a).action_print_service_report()
        ticket.with_user(self.agent_a).action_request_signoff()
        with self.assertRaisesRegex(UserError, "once Ketua Tim approve"):
            self.render(self.agent_a, ticket)
        self.assertFalse(ticket.with_user(self.agent_a).service_report_printable)
        ticket.approval_ids.with_user(self.leader).action_approve("Pekerjaan rapi")
        self.assertEqual(ticket.stage_id, self.stage_solved)

        action = ticket.with_user(self.agent_a).action_print_service_report()
        self.assertEqual(action["report_name"], "helpdesk_ticketing.report_service")
        html = self.render(self.agent_a, ticket).decode()
        for text in (ticket.code, "PT Sentosa Abadi", "Agen Ayu", "Ketua Tim", "Pekerjaan rapi",
                     "PC kasir mati", "Catu daya PC kasir diganti", "Lonjakan listrik tanpa UPS"):
            self.assertIn(text, html)

    def test_printed_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["helpdesk_ticketing"], ["id_ID"], overwrite=True)
        self.team_sd.solution_required = True
        ticket = self.worked_ticket()
        ticket.with_user(self.agent_a).action_request_signoff()
        ticket.approval_ids.with_user(self.leader).action_approve()
        self.contact.lang = "id_ID"
        self.assertIn("Laporan Layanan", self.render(self.agent_a, ticket).decode())
        self.env["res.lang"]._activate_lang("en_US")
        self.contact.lang = "en_US"
        self.assertIn("Service Report", self.render(self.agent_a, ticket).decode())

    def test_without_signoff_rule_prints_once_solved(self):
        ticket = self.worked_ticket()
        ticket.team_id = self.team_net
        with self.assertRaisesRegex(UserError, "once the ticket is solved"):
            self.render(self.leader_other, ticket)
        ticket.with_user(self.leader_other).stage_id = self.stage_solved
        self.assertIn("Catu daya PC kasir diganti", self.render(self.leader_other, ticket).decode())

    def test_customer_downloads_from_portal_after_signoff(self):
        ticket = self.worked_ticket()
        url = f"/my/tickets/{ticket.id}/service_report"
        self.authenticate("t_portal", "t_portal")
        self.assertNotIn(url, self.url_open(f"/my/tickets/{ticket.id}").text)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_helpdesk_portal_error", response.text)
        reason = ticket.with_context(lang=self.portal_user.lang)._service_report_blocker()
        self.assertIn(reason, response.text, "the page says why, in the customer's language")

        ticket.with_user(self.agent_a).action_request_signoff()
        ticket.approval_ids.with_user(self.leader).action_approve()
        self.assertIn(url, self.url_open(f"/my/tickets/{ticket.id}").text)
        response = self.url_open(url + "?download=1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # Rendered as HTML in test mode.
        self.assertIn(b"Catu daya PC kasir diganti", response.content)
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(url, allow_redirects=False).status_code, 200)
