from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestApproval(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = cls.leader_other
        cls.site = cls.env["helpdesk.site"].create(
            {"name": "DC Cibitung", "supervisor_id": cls.supervisor.id, "region": "Jakarta"}
        )
        cls.visit = cls.env["helpdesk.category"].create({"name": "Kunjungan DC", "requires_visit": True})
        cls.rule = cls.env["helpdesk.approval.rule"].create({
            "name": "Izin kerja DC", "kind": "validation", "category_ids": [(6, 0, cls.visit.ids)],
            "approver": "site_supervisor",
        })

    def permit(self):
        return self.ticket(category_id=self.visit.id, site_id=self.site.id, user_id=self.agent_a.id,
                           solution="<p>Disk server rak 12 diganti.</p>")

    def test_work_permit_requested_from_site_supervisor(self):
        ticket = self.permit()
        self.assertEqual(ticket.approval_state, "pending")
        approval = ticket.approval_ids
        self.assertEqual(approval.kind, "validation")
        self.assertEqual(approval.approver_ids, self.supervisor)
        self.assertIn(self.supervisor.partner_id, ticket.message_partner_ids)
        self.assertTrue(ticket.activity_ids.filtered(lambda a: a.user_id == self.supervisor))
        # The supervisor, although leading another team, can see the ticket to decide.
        self.assertTrue(ticket.with_user(self.supervisor).read(["name"]))

    def test_pending_validation_blocks_every_write_path(self):
        ticket = self.permit()
        for user in (self.agent_a, self.leader, self.manager):
            with self.assertRaisesRegex(UserError, "waiting for .* approval"), self.cr.savepoint():
                ticket.with_user(user).write({"stage_id": self.stage_progress.id})
        with self.assertRaisesRegex(UserError, "waiting for"), self.cr.savepoint():
            ticket.with_user(self.agent_a).write({"stage_id": self.stage_solved.id})
        # Import (load) goes through the same check.
        result = self.env["helpdesk.ticket"].with_user(self.agent_a).load(
            [".id", "stage_id/.id"], [[str(ticket.id), str(self.stage_progress.id)]]
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("waiting for" in m["message"] for m in result["messages"]))
        # Creating a ticket directly past the gate is refused too.
        with self.assertRaisesRegex(UserError, "waiting for"), self.cr.savepoint():
            self.ticket(category_id=self.visit.id, site_id=self.site.id, stage_id=self.stage_progress.id)
        self.assertEqual(ticket.stage_id, self.stage_new)
        # Cancelling stays possible.
        ticket.with_user(self.agent_a).stage_id = self.stage_cancelled

    def test_agent_cannot_approve_by_write(self):
        ticket = self.permit()
        approval = ticket.approval_ids
        with self.assertRaises(AccessError):
            approval.with_user(self.agent_a).write({"state": "approved"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent_a).write({"approval_ids": [(1, approval.id, {"state": "approved"})]})
        with self.assertRaises(AccessError):
            approval.with_user(self.agent_a).action_approve()
        with self.assertRaises(AccessError):
            approval.with_user(self.agent_a).write({"approver_ids": [(6, 0, self.agent_a.ids)]})
        with self.assertRaises(AccessError):
            approval.with_user(self.agent_a).unlink()
        with self.assertRaises(UserError):
            self.env["helpdesk.approval"].with_user(self.agent_a).create(
                {"ticket_id": ticket.id, "kind": "validation", "state": "approved"}
            )
        # Writing the stored summary does not open the gate either.
        ticket.with_user(self.agent_a).write({"approval_state": "approved"})
        with self.assertRaises(UserError), self.cr.savepoint():
            ticket.with_user(self.agent_a).write({"stage_id": self.stage_progress.id})
        self.assertEqual(approval.state, "pending")

    def test_supervisor_approves_then_work_starts(self):
        ticket = self.permit()
        ticket.approval_ids.with_user(self.supervisor).action_approve("Silakan, bawa KTP.")
        self.assertEqual(ticket.approval_state, "approved")
        self.assertEqual(ticket.approval_ids.decided_by_id, self.supervisor)
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.user_id == self.supervisor))
        ticket.with_user(self.agent_a).stage_id = self.stage_progress
        with self.assertRaisesRegex(UserError, "already decided"):
            ticket.approval_ids.with_user(self.supervisor).action_reject("terlambat")

    def test_rejection_tells_the_customer_why(self):
        ticket = self.permit()
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.approval_ids.with_user(self.supervisor).action_reject("  ")
        ticket.approval_ids.with_user(self.supervisor).action_reject("Jadwal DC penuh minggu ini.")
        self.assertEqual(ticket.approval_state, "rejected")
        message = ticket.message_ids.filtered(
            lambda m: "Jadwal DC penuh" in (m.body or "") and m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(len(message), 1, "a public message tells the customer")
        self.assertIn(self.contact, message.partner_ids | message.notified_partner_ids)
        with self.assertRaisesRegex(UserError, "rejected"), self.cr.savepoint():
            ticket.with_user(self.agent_a).stage_id = self.stage_progress
        ticket.with_user(self.agent_a).action_request_validation()
        self.assertEqual(ticket.approval_state, "pending")
        self.assertEqual(len(ticket.approval_ids), 2)

    def test_resolution_signoff(self):
        self.env["helpdesk.approval.rule"].create(
            {"name": "Sign-off", "kind": "signoff", "team_ids": [(6, 0, self.team_sd.ids)], "approver": "leader"}
        )
        ticket = self.ticket(user_id=self.agent_a.id, solution="<p>Switch lantai 2 dikonfigurasi ulang.</p>")
        ticket.with_user(self.agent_a).stage_id = self.stage_progress
        with self.assertRaisesRegex(UserError, "sign-off"), self.cr.savepoint():
            ticket.with_user(self.agent_a).stage_id = self.stage_solved
        ticket.with_user(self.agent_a).action_request_signoff()
        self.assertEqual(ticket.approval_state, "pending")
        with self.assertRaisesRegex(UserError, "sign-off"), self.cr.savepoint():
            ticket.with_user(self.manager).stage_id = self.stage_solved
        with self.assertRaises(AccessError):
            ticket.approval_ids.with_user(self.agent_a).action_approve()
        ticket.approval_ids.with_user(self.leader).action_approve()
        self.assertEqual(ticket.stage_id, self.stage_solved, "approval closes the ticket")
        self.assertTrue(ticket.date_closed)

    def test_decision_wizard(self):
        ticket = self.permit()
        wizard = self.env["helpdesk.approval.decision.wizard"].with_user(self.supervisor).create(
            {"approval_id": ticket.approval_ids.id, "decision": "rejected", "comment": "Tidak ada slot"}
        )
        wizard.action_confirm()
        self.assertEqual(ticket.approval_ids.state, "rejected")
        self.assertEqual(ticket.approval_ids.comment, "Tidak ada slot")
