from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]


class HelpdeskSla(models.Model):
    """Response and resolution targets, counted in working hours of a calendar."""

    _name = "helpdesk.sla"
    _description = "Helpdesk SLA Policy"
    _order = "sequence, id"

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

    def _matches(self, ticket):
        self.ensure_one()
        return (
            (not self.team_id or self.team_id == ticket.team_id)
            and (not self.priority or self.priority == ticket.priority)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.company_id or self.company_id == ticket.company_id)
        )

    def _get_calendar(self, ticket):
        return (
            self.resource_calendar_id
            or ticket.team_id.resource_calendar_id
            or ticket.company_id.resource_calendar_id
        )

    def _plan(self, calendar, start):
        """(response deadline, resolution deadline, at-risk date) from start, in working hours."""
        self.ensure_one()

        def plan(hours):
            if not hours:
                return False
            if not calendar:
                return start + timedelta(hours=hours)
            return calendar.plan_hours(hours, start, compute_leaves=True)

        return (
            plan(self.response_hours),
            plan(self.resolution_hours),
            plan(self.resolution_hours * self.at_risk_percent / 100.0),
        )
