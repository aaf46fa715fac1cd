from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTeam(models.Model):
    """How long an SMS without a ticket code still belongs to its sender's open ticket."""

    _inherit = "helpdesk.team"

    sms_duplicate_window_hours = fields.Integer(
        string="SMS Follow-up Window (hours)",
        default=24,
        help="An SMS without a ticket code from a number whose open ticket was created less than this many "
        "hours ago is added to that ticket instead of opening a new one. 0 turns this off.",
    )

    @api.constrains("sms_duplicate_window_hours")
    def _check_sms_duplicate_window_hours(self):
        for team in self:
            if team.sms_duplicate_window_hours < 0:
                raise ValidationError(self.env._(
                    "The SMS follow-up window of team %(team)s cannot be negative: give a number of hours, "
                    "or 0 to open a ticket for every SMS without a code.", team=team.name,
                ))
