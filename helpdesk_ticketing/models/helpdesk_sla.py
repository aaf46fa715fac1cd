from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.date_utils import localized

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]


class HelpdeskSla(models.Model):
    """Response and resolution targets, counted in working hours of a calendar."""

    _name = "helpdesk.sla"
    _description = "Helpdesk SLA Policy"
    _order = "sequence, id"
    _inherit = ["helpdesk.config.cache.mixin"]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="The first matching policy applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    team_id = fields.Many2one("helpdesk.team", index=True, help="Empty: every team.")
    priority = fields.Selection(PRIORITIES, help="Empty: every priority.")
    category_ids = fields.Many2many("helpdesk.category", string="Categories", help="Empty: every category.")
    response_hours = fields.Float(string="First Response (working hours)", default=4.0)
    resolution_hours = fields.Float(string="Resolution (working hours)", default=24.0)
    at_risk_percent = fields.Integer(
        string="At Risk After (%)",
        default=75,
        help="A ticket is at risk once this share of its allowed time has passed.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", help="Empty: the team's, else the company's calendar."
    )

    @api.constrains("response_hours", "resolution_hours", "at_risk_percent")
    def _check_targets(self):
        for sla in self:
            if sla.response_hours < 0 or sla.resolution_hours <= 0:
                raise ValidationError(self.env._("SLA targets must be positive numbers of hours."))
            if not 0 < sla.at_risk_percent <= 100:
                raise ValidationError(self.env._("The at-risk threshold must be between 1 and 100%."))

    @api.model
    @tools.ormcache()
    def _policies(self):
        """Active policies in order, as plain tuples (read once per registry, not per ticket)."""
        # Policies are configuration, matched for any user creating a ticket (portal, gateway).
        policies = self.sudo().search([])
        return tuple(
            (p.id, p.company_id.id, p.team_id.id, p.priority, frozenset(p.category_ids.ids), p.response_hours,
             p.resolution_hours, p.at_risk_percent, p.resource_calendar_id.id)
            for p in policies
        )

    @api.model
    def _match(self, company_id, team_id, priority, category_id):
        """The first policy tuple matching a ticket's values, or None."""
        for policy in self._policies():
            _id, p_company, p_team, p_priority, p_categories = policy[:5]
            if (
                (not p_company or p_company == company_id)
                and (not p_team or p_team == team_id)
                and (not p_priority or p_priority == priority)
                and (not p_categories or category_id in p_categories)
            ):
                return policy
        return None

    @api.model
    def _plan(self, policy, calendar, start):
        """(response deadline, resolution deadline, at-risk date) from start, in working hours.

        The calendar's working intervals are read once and walked for the three targets.
        """
        response_hours, resolution_hours, at_risk_percent = policy[5:8]
        targets = [response_hours, resolution_hours, resolution_hours * at_risk_percent / 100.0]
        if not calendar:
            return tuple(start + timedelta(hours=h) if h else False for h in targets)
        results = [False if not h else None for h in targets]
        aware_start = localized(start)
        window = timedelta(days=14)
        begin, spent = aware_start, 0.0
        for _attempt in range(26):  # up to a year of calendar
            intervals = calendar._work_intervals_batch(begin, begin + window, compute_leaves=True)[False]
            for int_start, int_stop, _meta in intervals:
                hours = (int_stop - int_start).total_seconds() / 3600
                for index, target in enumerate(targets):
                    if results[index] is None and spent + hours >= target:
                        moment = int_start + timedelta(hours=target - spent)
                        results[index] = moment.astimezone(aware_start.tzinfo).replace(tzinfo=None)
                spent += hours
            if None not in results:
                return tuple(results)
            begin += window
        raise ValidationError(self.env._("Calendar %(name)s has no working time to plan an SLA.", name=calendar.name))
