from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import HelpdeskCase


@freeze_time("2026-11-23 09:00:00")
@tagged("post_install", "-at_install")
class TestApprovalOwnWork(HelpdeskCase):
    """Approvals come from the rules only, and nobody approves their own work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.approval.rule"].create(
            {"name": "Sign-off layanan", "kind": "signoff", "team_ids": [(6, 0, cls.team_sd.ids)], "approver": "leader"}
        )

    def ticket_in_progress(self, user):
        ticket = self.ticket(user_id=user.id, solution="<p>Kabel daya diganti.</p>")
        ticket.with_user(user).stage_id = self.stage_progress
        return ticket

    def test_agent_cannot_create_an_approval_of_their_own(self):
        ticket = self.ticket_in_progress(self.agent_a)
        for user in (self.agent_a, self.leader):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "requested from the ticket"):
                self.env["helpdesk.approval"].with_user(user).create(
                    {"ticket_id": ticket.id, "kind": "signoff", "approver_ids": [(6, 0, user.ids)]}
                )
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "requested from the ticket"):
                ticket.with_user(user).write(
                    {"approval_ids": [(0, 0, {"kind": "signoff", "approver_ids": [(6, 0, user.ids)]})]}
                )
        self.assertFalse(ticket.approval_ids)
        self.assertEqual(ticket.stage_id, self.stage_progress)

    def test_create_is_as_strict_as_write(self):
        ticket = self.ticket_in_progress(self.agent_a)
        Approval = self.env["helpdesk.approval"].with_user(self.manager)
        for vals in ({"state": "approved"}, {"decided_by_id": self.leader.id}, {"comment": "Sudah oke"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "created pending"):
                Approval.create({"ticket_id": ticket.id, "kind": "signoff", **vals})
        # A manager may add a request by hand, but it is always theirs.
        approval = Approval.create({
            "ticket_id": ticket.id, "kind": "signoff", "approver_ids": [(6, 0, self.leader.ids)],
            "requested_by_id": self.leader.id,
        })
        self.assertEqual(approval.requested_by_id, self.manager)
        # Nobody rewrites who asked, or which rule a request answers.
        for user in (self.agent_a, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                approval.with_user(user).write({"requested_by_id": self.agent_b.id})
        with self.assertRaises(AccessError):
            approval.with_user(self.agent_a).write({"rule_id": False})

    def test_assignee_cannot_approve_own_signoff(self):
        # The leader works a ticket of their own team: the rule names them as approver.
        ticket = self.ticket_in_progress(self.leader)
        ticket.with_user(self.leader).action_request_signoff()
        approval = ticket.approval_ids
        self.assertEqual((approval.approver_ids, approval.requested_by_id), (self.leader, self.leader))
        with self.assertRaisesRegex(AccessError, "their own work"):
            self.decide(approval, self.leader, "approved")
        self.assertEqual(approval.state, "pending")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        # A manager signs it off.
        self.decide(approval, self.manager, "approved")
        self.assertEqual(ticket.stage_id, self.stage_solved)

    def test_requester_cannot_approve_own_request(self):
        # An agent solves, the manager asks the sign-off: neither may approve it, the leader does.
        ticket = self.ticket_in_progress(self.agent_a)
        ticket.with_user(self.manager).action_request_signoff()
        approval = ticket.approval_ids
        self.assertEqual(approval.requested_by_id, self.manager)
        with self.assertRaisesRegex(AccessError, "their own work"):
            self.decide(approval, self.manager, "approved")
        with self.assertRaisesRegex(AccessError, "their own work"):
            approval.with_user(self.manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.decide(approval, self.agent_a, "approved")
        self.assertEqual(approval.state, "pending")
        self.decide(approval, self.leader, "approved", "Rapi")
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertEqual(approval.decided_by_id, self.leader)

    def test_requests_follow_rules_for_every_role(self):
        """Agents, portal customers and the gateways trigger requests without creating approvals themselves."""
        visit = self.env["helpdesk.category"].create({"name": "Kunjungan DC"})
        self.env["helpdesk.approval.rule"].create(
            {"name": "Izin kerja DC", "kind": "validation", "category_ids": [(6, 0, visit.ids)], "approver": "leader"}
        )
        ticket = self.env["helpdesk.ticket"].with_user(self.agent_a).create({
            "name": "Ganti disk rak 12", "partner_id": self.contact.id, "team_id": self.team_sd.id,
            "category_id": visit.id,
        })
        self.assertEqual(ticket.approval_ids.approver_ids, self.leader)
        self.assertEqual(ticket.approval_ids.requested_by_id, self.agent_a)
        self.assertEqual(ticket.approval_state, "pending")
        # A rule that starts to apply when the category changes (the customer corrected it).
        other = self.ticket(user_id=self.agent_b.id)
        other.with_user(self.agent_b).category_id = visit
        self.assertEqual(other.approval_ids.requested_by_id, self.agent_b)
