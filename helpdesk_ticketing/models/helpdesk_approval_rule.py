from typing import NamedTuple

from odoo import api, fields, models, tools


class CachedRule(NamedTuple):
    """What an approval rule matches on, as kept in the registry cache."""

    id: int
    company_id: int
    team_ids: frozenset
    category_ids: frozenset


class HelpdeskApprovalRule(models.Model):
    """Which tickets need an approval, of what kind, and who may give it."""

    _name = "helpdesk.approval.rule"
    _description = "Helpdesk Approval Rule"
    _order = "sequence, id"
    _inherit = ["helpdesk.config.cache.mixin"]

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

    def _approvers_for(self, ticket):
        self.ensure_one()
        if self.approver == "users":
            return self.approver_user_ids
        if self.approver == "site_supervisor" and ticket.site_id.supervisor_id:
            return ticket.site_id.supervisor_id
        return ticket.team_id.leader_id

    @api.model
    @tools.ormcache("kind")
    def _rule_keys(self, kind):
        """Active rules of a kind in order, as CachedRule tuples."""
        # Rules are configuration, matched for any user creating a ticket (portal, gateway).
        return tuple(
            CachedRule(id=r.id, company_id=r.company_id.id, team_ids=frozenset(r.team_ids.ids),
                       category_ids=frozenset(r.category_ids.ids))
            for r in self.sudo().search([("kind", "=", kind)])
        )

    @api.model
    def _matching_ids(self, kind, company_id, team_id, category_id):
        return [
            rule.id
            for rule in self._rule_keys(kind)
            if (not rule.company_id or rule.company_id == company_id)
            and (not rule.team_ids or team_id in rule.team_ids)
            and (not rule.category_ids or category_id in rule.category_ids)
        ]
