from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import HelpdeskCase


@freeze_time("2026-11-23 09:00:00")
@tagged("post_install", "-at_install")
class TestTicketSolve(HelpdeskCase):
    """Solving records what was done and completes the ticket; approval actions show where a rule applies."""

    def signoff_rule(self):
        return self.env["helpdesk.approval.rule"].create(
            {"name": "Sign-off layanan", "kind": "signoff", "team_ids": [(6, 0, self.team_sd.ids)],
             "approver": "leader"}
        )

    def test_approval_actions_show_where_a_rule_applies(self):
        form_view = self.env["helpdesk.ticket"].with_user(self.agent_a).get_views([(False, "form")])
        arch = etree.fromstring(form_view["views"]["form"]["arch"])
        for button, field in (("action_request_signoff", "signoff_requestable"),
                              ("action_request_validation", "validation_requestable")):
            self.assertIn(f"not {field}", arch.xpath(f"//button[@name='{button}']")[0].get("invisible"))

        ticket = self.ticket(user_id=self.agent_a.id)
        form = Form(ticket.with_user(self.agent_a))
        self.assertFalse(form.signoff_requestable)
        self.assertFalse(form.validation_requestable)
        with self.assertRaisesRegex(UserError, "No sign-off rule applies"):
            ticket.with_user(self.agent_a).action_request_signoff()

        self.signoff_rule()
        other_team = self.ticket(team_id=self.team_net.id, user_id=self.agent_net.id)
        self.assertFalse(Form(other_team.with_user(self.agent_net)).signoff_requestable)
        form = Form(ticket.with_user(self.agent_a))
        self.assertTrue(form.signoff_requestable)
        form.solution = "<p>Adaptor diganti.</p>"
        form.save()
        ticket.with_user(self.agent_a).action_request_signoff()
        self.assertFalse(Form(ticket.with_user(self.agent_a)).signoff_requestable, "a sign-off is pending")

    def test_solving_asks_for_the_solution_and_completes(self):
        ticket = self.ticket(user_id=self.agent_a.id)
        form = Form(ticket.with_user(self.agent_a))
        form.stage_id = self.stage_solved
        with self.assertRaisesRegex(ValidationError, "without a solution"):
            form.save()
        form.solution = "<p><br></p>"
        with self.assertRaisesRegex(ValidationError, "without a solution"):
            form.save()
        form.solution = "<p>Driver printer diperbarui.</p>"
        form.save()
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertEqual(ticket.progress, 100)

    def test_signoff_needs_the_solution_first(self):
        self.signoff_rule()
        ticket = self.ticket(user_id=self.agent_a.id)
        with self.assertRaisesRegex(UserError, "without a solution"):
            ticket.with_user(self.agent_a).action_request_signoff()
        self.assertFalse(ticket.approval_ids)

    def test_solution_optional_by_team_and_when_cancelling(self):
        ticket = self.ticket(user_id=self.agent_a.id)
        ticket.with_user(self.agent_a).stage_id = self.stage_cancelled
        self.assertEqual(ticket.progress, 0, "a cancelled ticket is not done")
        self.assertTrue(self.team_sd.solution_required, "on by default")
        with Form(self.team_sd.with_user(self.manager)) as team:
            team.solution_required = False
        ticket = self.ticket(user_id=self.agent_a.id)
        ticket.with_user(self.agent_a).stage_id = self.stage_solved
        self.assertEqual(ticket.progress, 100)
