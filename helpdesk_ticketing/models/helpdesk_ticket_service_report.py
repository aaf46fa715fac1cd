from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    """The service report: what was done on a ticket, printed once the work is signed off."""

    _inherit = "helpdesk.ticket"

    service_report_printable = fields.Boolean(
        compute="_compute_service_report_printable",
        help="Solved, and its resolution sign-off approved where a sign-off rule applies.",
    )

    @api.depends("stage_id", "approval_ids.state", "team_id", "category_id")
    def _compute_service_report_printable(self):
        for ticket in self:
            ticket.service_report_printable = not ticket._service_report_blocker()

    def _service_report_signoff(self):
        """The approved sign-off the report names as approver (empty without sign-off)."""
        self.ensure_one()
        return self._latest_approvals("signoff").filtered(lambda a: a.state == "approved")[-1:]

    def _service_report_blocker(self):
        """Why the service report cannot be printed yet, or False: the customer signs a report
        of finished work, which a leader signed off where a rule asks for it."""
        self.ensure_one()
        signoffs = self._latest_approvals("signoff")
        if self._applicable_rules("signoff")[self] and (not signoffs or any(a.state != "approved" for a in signoffs)):
            pending = signoffs.filtered(lambda a: a.state == "pending")
            if pending:
                return self.env._(
                    "The service report of ticket %(code)s can be printed once %(approvers)s approve its "
                    "resolution sign-off.",
                    code=self.code,
                    approvers=", ".join(pending.approver_ids.mapped("name")) or self.env._("a manager"),
                )
            return self.env._(
                "The service report of ticket %(code)s can be printed once its resolution sign-off is approved: "
                "use “Request Sign-off”.",
                code=self.code,
            )
        if self.stage_kind != "solved":
            return self.env._("The service report of ticket %(code)s can be printed once the ticket is solved.",
                              code=self.code)
        return False

    def _check_service_report_printable(self):
        for ticket in self:
            blocker = ticket._service_report_blocker()
            if blocker:
                raise UserError(blocker)

    def action_print_service_report(self):
        self._check_service_report_printable()
        return self.env.ref("helpdesk_ticketing.action_report_service").report_action(self)
