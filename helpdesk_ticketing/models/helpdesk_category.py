from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskCategory(models.Model):
    """What a ticket is about; categories pick the team, SLA and approval rules."""

    _name = "helpdesk.category"
    _description = "Helpdesk Category"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("helpdesk.category", string="Parent Category", index=True, ondelete="cascade")
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", index=True)
    team_id = fields.Many2one(
        "helpdesk.team", string="Default Team", help="Team that receives new tickets of this category."
    )
    requires_visit = fields.Boolean(
        string="On-site Work",
        help="Tickets of this category need a site/branch (e.g. data-centre visits).",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.depends_context("lang")
    @api.depends("name", "parent_id.name")
    def _compute_display_name(self):
        """The path in the user's language: ``complete_name`` is stored (for search and order) in
        one language only."""
        for category in self:
            names = []
            node = category
            while node:
                names.append(node.name or "")
                node = node.parent_id
            category.display_name = " / ".join(reversed(names))

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("You cannot create recursive categories."))
