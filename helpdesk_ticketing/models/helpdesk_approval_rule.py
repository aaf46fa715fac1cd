from odoo import fields, models


class HelpdeskApprovalRule(models.Model):
    """Which tickets need an approval, of what kind, and who may give it."""

    _name = "helpdesk.approval.rule"
    _description = "Helpdesk Approval Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    kind = fields.Selection(
        [("validation", "Request validation (before work starts)"), ("signoff", "Resolution sign-off")],
        required=True,
        default="validation",
    )
    team_ids = fields.Many2many("helpdesk.team", string="Teams", help="Empty: every team.")
    category_ids = fields.Many2many("helpdesk.category", string="Categories", help="Empty: every category.")
    approver = fields.Selection(
        [
            ("leader", "Team leader"),
            ("site_supervisor", "Site supervisor (else team leader)"),
            ("users", "Specific users"),
        ],
        required=True,
        default="leader",
    )
    approver_user_ids = fields.Many2many("res.users", string="Approvers", domain=[("share", "=", False)])

    def _matches(self, ticket):
        self.ensure_one()
        return (
            (not self.team_ids or ticket.team_id in self.team_ids)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.company_id or self.company_id == ticket.company_id)
        )

    def _approvers_for(self, ticket):
        self.ensure_one()
        if self.approver == "users":
            return self.approver_user_ids
        if self.approver == "site_supervisor" and ticket.site_id.supervisor_id:
            return ticket.site_id.supervisor_id
        return ticket.team_id.leader_id
