from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.helpdesk_team import SUPPORT_LEVELS
from ..models.helpdesk_ticket import CHANNELS, PRIORITIES, SLA_STATUSES


class HelpdeskTicketReport(models.Model):
    """One row per ticket with the figures managers average and count (SQL view).

    The row id is the ticket id, so every figure drills down to its tickets.
    """

    _name = "helpdesk.ticket.report"
    _description = "Helpdesk Ticket Analysis"
    _inherit = ["helpdesk.group.order.mixin", "helpdesk.labelled.groups.mixin"]
    _auto = False
    _rec_name = "code"
    _order = "create_date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", readonly=True)
    code = fields.Char(readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    category_id = fields.Many2one("helpdesk.category", string="Category", readonly=True)
    stage_id = fields.Many2one("helpdesk.stage", string="Stage", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer Company", readonly=True)
    site_id = fields.Many2one("helpdesk.site", string="Site / Branch", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    level = fields.Selection(SUPPORT_LEVELS, string="Support Level", readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_solved = fields.Boolean(string="Solved", readonly=True)
    outcome = fields.Selection(
        [("open", "Still open"), ("solved", "Solved"), ("closed", "Closed without solution")],
        readonly=True,
        help="What became of the ticket: the pivot groups by this instead of the yes/no fields.",
    )
    ticket_count = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    solved_count = fields.Integer(string="# Solved", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(string="First Response (hours)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution Time (hours)", readonly=True, aggregator="avg")
    sla_success_rate = fields.Float(
        string="SLA Success (%)",
        readonly=True,
        aggregator="avg",
        help="Share of tickets with an SLA whose response and resolution deadlines were both met.",
    )
    sla_met_count = fields.Integer(string="# SLA Met", readonly=True, aggregator="sum")
    escalation_count = fields.Integer(string="# Escalations", readonly=True, aggregator="sum")
    approval_count = fields.Integer(string="# Approvals", readonly=True, aggregator="sum")
    reopen_count = fields.Integer(string="# Reopenings", readonly=True, aggregator="sum")
    reopen_rate = fields.Float(
        string="Reopen Rate (%)", readonly=True, aggregator="avg", help="Share of tickets reopened at least once."
    )
    rating = fields.Float(
        string="Rating (1-5)", readonly=True, aggregator="avg", help="Last rating given by the customer."
    )

    def _query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.code,
                   t.name,
                   t.create_date,
                   t.date_closed,
                   t.company_id,
                   t.team_id,
                   t.user_id,
                   t.category_id,
                   t.stage_id,
                   t.partner_id,
                   t.commercial_partner_id,
                   t.site_id,
                   t.channel,
                   t.priority,
                   t.level,
                   t.sla_status,
                   t.is_closed,
                   t.stage_id = ANY(solved.ids) AS is_solved,
                   CASE WHEN t.stage_id = ANY(solved.ids) THEN 'solved'
                        WHEN t.is_closed THEN 'closed' ELSE 'open' END AS outcome,
                   1 AS ticket_count,
                   CASE WHEN t.stage_id = ANY(solved.ids) THEN 1 ELSE 0 END AS solved_count,
                   EXTRACT(EPOCH FROM (t.first_response_date - t.create_date)) / 3600.0 AS first_response_hours,
                   CASE WHEN t.stage_id = ANY(solved.ids)
                        THEN EXTRACT(EPOCH FROM (t.date_closed - t.create_date)) / 3600.0 END AS resolution_hours,
                   CASE WHEN t.sla_id IS NULL THEN NULL
                        WHEN COALESCE(t.sla_response_breached, FALSE) OR COALESCE(t.sla_resolve_breached, FALSE)
                        THEN 0.0 ELSE 100.0 END AS sla_success_rate,
                   CASE WHEN t.sla_id IS NOT NULL AND t.stage_id = ANY(solved.ids)
                             AND NOT COALESCE(t.sla_response_breached, FALSE)
                             AND NOT COALESCE(t.sla_resolve_breached, FALSE)
                        THEN 1 ELSE 0 END AS sla_met_count,
                   COALESCE(t.escalation_count, 0) AS escalation_count,
                   COALESCE(t.approval_count, 0) AS approval_count,
                   COALESCE(t.reopen_count, 0) AS reopen_count,
                   CASE WHEN COALESCE(t.reopen_count, 0) > 0 THEN 100.0 ELSE 0.0 END AS reopen_rate,
                   NULLIF(t.rating_last_value, 0) AS rating
              FROM helpdesk_ticket t,
                   (SELECT ARRAY(SELECT id FROM helpdesk_stage WHERE kind = 'solved') AS ids) solved
             WHERE t.active
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id._get_records_action()

    def action_open_tickets(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets"),
            "res_model": "helpdesk.ticket",
            "domain": [("id", "in", self.ticket_id.ids)],
            "views": [(False, "list"), (False, "form")],
            "target": "current",
        }
