from odoo import api, fields, models


class HelpdeskTeamMember(models.Model):
    """A technician in a team, with the region and skills used to pick who gets a ticket."""

    _name = "helpdesk.team.member"
    _description = "Helpdesk Team Member"
    _order = "team_id, sequence, id"

    team_id = fields.Many2one("helpdesk.team", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", domain=[("share", "=", False)], index=True
    )
    sequence = fields.Integer(default=10)
    region = fields.Char(help="Tickets on a site of this region go to this member first.")
    category_ids = fields.Many2many("helpdesk.category", string="Skills")
    available = fields.Boolean(default=True, help="Unavailable members get no automatic assignment.")

    _team_user_uniq = models.Constraint("unique (team_id, user_id)", "A user is listed only once in a team.")

    # Record rules name a user's teams by id (res.users.helpdesk_team_ids) and Odoo caches them per user:
    # a change of membership clears that cache, in every worker (the registry's cache signalling).
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        result = super().write(vals)
        if {"team_id", "user_id"} & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
