from datetime import timedelta

from odoo import fields, models

# The team overview shows the ratings of the tickets closed in this many days.
OVERVIEW_RATING_DAYS = 30


class HelpdeskTeam(models.Model):
    _inherit = "helpdesk.team"

    rating_request = fields.Boolean(
        string="Ask for a Rating",
        default=True,
        help="When a ticket is solved, its customer is asked to rate the resolution through the channel "
        "they used: an e-mail with rating links, or an SMS with a link they can also answer with a digit.",
    )
    rating_recent_avg = fields.Float(
        compute="_compute_rating_recent", string="Recent Rating",
        help="Average customer rating (1-5) of the tickets closed in the last 30 days.",
    )
    rating_recent_count = fields.Integer(compute="_compute_rating_recent", string="Recent Ratings")

    def _compute_rating_recent(self):
        since = fields.Datetime.now() - timedelta(days=OVERVIEW_RATING_DAYS)
        groups = {
            team: (avg, count)
            for team, avg, count in self.env["helpdesk.ticket"]._read_group(
                [("team_id", "in", self.ids), ("date_closed", ">=", since), ("rating_last_value", ">", 0)],
                ["team_id"],
                ["rating_last_value:avg", "__count"],
            )
        }
        for team in self:
            team.rating_recent_avg, team.rating_recent_count = groups.get(team, (0.0, 0))

    def action_view_recent_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_rating_action")
        since = fields.Datetime.now() - timedelta(days=OVERVIEW_RATING_DAYS)
        tickets = self.env["helpdesk.ticket"].search([("team_id", "=", self.id), ("date_closed", ">=", since)])
        action["domain"] = [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids),
                            ("consumed", "=", True)]
        return action
