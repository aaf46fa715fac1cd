from odoo import fields, models


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
