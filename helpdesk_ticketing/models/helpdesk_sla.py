from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.date_utils import localized

from .helpdesk_ticket import PRIORITIES


class CachedPolicy(NamedTuple):
    """An SLA policy as kept in the registry cache: what it matches and what it promises."""

    id: int
    company_id: int
    team_id: int
    priority: str
    category_ids: frozenset
    response_hours: float
    resolution_hours: float
    at_risk_percent: int
    calendar_id: int


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
        """Active policies in order, as CachedPolicy tuples (read once per registry, not per ticket)."""
        # Policies are configuration, matched for any user creating a ticket (portal, gateway).
        return tuple(
            CachedPolicy(
                id=p.id, company_id=p.company_id.id, team_id=p.team_id.id, priority=p.priority,
                category_ids=frozenset(p.category_ids.ids), response_hours=p.response_hours,
                resolution_hours=p.resolution_hours, at_risk_percent=p.at_risk_percent,
                calendar_id=p.resource_calendar_id.id,
            )
            for p in self.sudo().search([])
        )

    @api.model
    def _match(self, company_id, team_id, priority, category_id):
        """The first CachedPolicy matching a ticket's values, or None."""
        for policy in self._policies():
            if (
                (not policy.company_id or policy.company_id == company_id)
                and (not policy.team_id or policy.team_id == team_id)
                and (not policy.priority or policy.priority == priority)
                and (not policy.category_ids or category_id in policy.category_ids)
            ):
                return policy
        return None

    @api.model
    def _plan(self, policy, calendar, start):
        """(response deadline, resolution deadline, at-risk date) from start, in working hours.

        Working intervals come from a per-calendar, per-day cache and are walked once for the
        three targets, so planning a ticket usually costs no query at all.
        """
        targets = [
            policy.response_hours, policy.resolution_hours, policy.resolution_hours * policy.at_risk_percent / 100.0,
        ]
        if not calendar:
            return tuple(start + timedelta(hours=h) if h else False for h in targets)
        results = [False if not h else None for h in targets]
        spent = 0.0
        for chunk in range(26):  # up to a year of calendar
            window_day = start.date() + timedelta(days=14 * chunk)
            for int_start, int_stop in self._calendar_intervals(calendar.id, window_day):
                if int_stop <= start:
                    continue
                int_start = max(int_start, start)
                hours = (int_stop - int_start).total_seconds() / 3600
                for index, target in enumerate(targets):
                    if results[index] is None and spent + hours >= target:
                        results[index] = int_start + timedelta(hours=target - spent)
                spent += hours
            if None not in results:
                return tuple(results)
        raise ValidationError(self.env._("Calendar %(name)s has no working time to plan an SLA.", name=calendar.name))

    @api.model
    def _planning_calendars(self):
        """The calendars deadlines may be counted in: the policies', the teams' and the companies'."""
        # sudo: configuration read to decide whether cached working intervals are still right
        policies = self.sudo().with_context(active_test=False).search([])
        teams = self.env["helpdesk.team"].sudo().with_context(active_test=False).search([])
        companies = self.env["res.company"].sudo().search([])
        return policies.resource_calendar_id | teams.resource_calendar_id | companies.resource_calendar_id

    @api.model
    @tools.ormcache("calendar_id", "day")
    def _calendar_intervals(self, calendar_id, day):
        """Working intervals (naive UTC) of a calendar for the 14 days from ``day``, public holidays
        excluded. Changes to calendars, attendances and public holidays clear this cache (not time off,
        see resource.calendar.leaves)."""
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)  # calendars: configuration
        begin = localized(datetime.combine(day, time.min))
        intervals = calendar._work_intervals_batch(begin, begin + timedelta(days=14), compute_leaves=True)[False]
        return tuple(
            (start.astimezone(UTC).replace(tzinfo=None), stop.astimezone(UTC).replace(tzinfo=None))
            for start, stop, _meta in intervals
        )
