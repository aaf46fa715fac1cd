from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, freeze_time, tagged
from odoo.tools import format_date

from .common import HelpdeskCase


@freeze_time("2026-11-23 09:00:00")
@tagged("post_install", "-at_install")
class TestApprovalRerequest(HelpdeskCase):
    """After a rejection the agent asks again: the latest request of each rule is the one that counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = cls.leader_other
        cls.site, cls.visit = cls.create_work_permit_rule(cls.supervisor)

    def test_approved_new_request_opens_the_gate_and_prints(self):
        ticket = self.ticket(category_id=self.visit.id, site_id=self.site.id, user_id=self.agent_a.id)
        first = ticket.approval_ids
        with Form(first.with_user(self.agent_a)) as request:
            request.visit_date_from = "2026-11-25"
            request.visit_date_to = "2026-11-26"
            request.visitor_names = "Agen Ayu (KTP 3201xxxx0001)\nBayu Aji (KTP 3201xxxx0002)"
        self.decide(first, self.supervisor, "rejected", "Slot DC penuh tanggal 25-26.")
        self.assertEqual(ticket.approval_state, "rejected")
        self.assertTrue(ticket.with_user(self.agent_a).validation_requestable)

        action = ticket.with_user(self.agent_a).action_request_validation()
        second = ticket.approval_ids - first
        self.assertEqual((action["res_model"], action["res_id"]), ("helpdesk.approval", second.id))
        self.assertEqual(ticket.approval_state, "pending")
        self.assertFalse(ticket.with_user(self.agent_a).validation_requestable)
        # The new request carries the visit over; the agent moves it to free dates.
        self.assertEqual(second.approver_ids, self.supervisor)
        self.assertEqual(second.visitor_names, first.visitor_names)
        self.assertEqual(str(second.visit_date_from), "2026-11-25")
        with Form(second.with_user(self.agent_a)) as request:
            request.visit_date_from = "2026-11-30"
            request.visit_date_to = "2026-11-30"
        self.assertEqual(str(first.visit_date_from), "2026-11-25", "the rejected request is kept as it was")

        self.decide(second, self.supervisor, "approved", "Didampingi petugas DC.")
        self.assertEqual(ticket.approval_state, "approved")
        with Form(ticket.with_user(self.agent_a)) as form:
            form.stage_id = self.stage_progress
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(first.state, "rejected", "nothing stored is lost")

        # The agent prints the letter of the approved request.
        html = self.env["ir.actions.report"].with_user(self.agent_a)._render_qweb_html(
            "helpdesk_ticketing.action_report_work_permit", second.ids
        )[0]
        self.assertIn(b"Bayu Aji", html)
        self.assertIn(b"Didampingi petugas DC.", html)
        letter_date = format_date(self.env(context={"lang": ticket.partner_id.lang}), second.visit_date_from)
        self.assertIn(letter_date.encode(), html)
        with self.assertRaisesRegex(UserError, "Only approved requests"):
            self.env["ir.actions.report"].with_user(self.agent_a)._render_qweb_html(
                "helpdesk_ticketing.action_report_work_permit", first.ids
            )
        self.assertEqual(ticket._portal_work_permits(), second)

    def test_decided_visit_cannot_change(self):
        ticket = self.ticket(category_id=self.visit.id, site_id=self.site.id, user_id=self.agent_a.id)
        approval = ticket.approval_ids
        approval.with_user(self.agent_a).write({"visit_date_from": "2026-11-25", "visitor_names": "Agen Ayu"})
        self.decide(approval, self.supervisor, "approved")
        with self.assertRaisesRegex(UserError, "request a new validation"):
            approval.with_user(self.agent_a).write({"visitor_names": "Agen Ayu\nOrang Lain"})
        self.assertEqual(approval.visitor_names, "Agen Ayu")

    def test_nothing_to_request(self):
        ticket = self.ticket(category_id=self.visit.id, site_id=self.site.id, user_id=self.agent_a.id)
        self.assertFalse(ticket.with_user(self.agent_a).validation_requestable)
        with self.assertRaisesRegex(UserError, "already pending"):
            ticket.with_user(self.agent_a).action_request_validation()
        plain = self.ticket(user_id=self.agent_a.id)
        self.assertFalse(plain.with_user(self.agent_a).validation_requestable)
        with self.assertRaisesRegex(UserError, "No validation rule applies"):
            plain.with_user(self.agent_a).action_request_validation()


@freeze_time("2026-11-23 09:00:00")
@tagged("post_install", "-at_install")
class TestApprovalRerequestPortal(HelpdeskCase, HttpCase):
    """The customer downloads the work-permit letter of the request approved after a rejection."""

    def test_customer_downloads_letter_of_new_request(self):
        supervisor = self.leader_other
        site, visit = self.create_work_permit_rule(supervisor)
        ticket = self.ticket(category_id=visit.id, site_id=site.id, user_id=self.agent_a.id)
        first = ticket.approval_ids
        first.with_user(self.agent_a).write({"visit_date_from": "2026-11-25", "visitor_names": "Wahyu Hidayat"})
        first.with_user(supervisor).action_reject("Slot penuh")
        ticket.with_user(self.agent_a).action_request_validation()
        second = ticket.approval_ids - first
        second.with_user(self.agent_a).write({"visit_date_from": "2026-11-30"})
        second.with_user(supervisor).action_approve("Bawa KTP asli")

        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn(f"/my/tickets/{ticket.id}/work_permit/{second.id}", page)
        self.assertNotIn(f"/my/tickets/{ticket.id}/work_permit/{first.id}", page)
        response = self.url_open(f"/my/tickets/{ticket.id}/work_permit/{second.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Wahyu Hidayat", response.content)
        self.assertIn(b"Bawa KTP asli", response.content)
        self.assertEqual(self.url_open(f"/my/tickets/{ticket.id}/work_permit/{first.id}").status_code, 404)
