from odoo import fields, models, tools
from odoo.tools import SQL


class HelpdeskMajorIncidentReport(models.Model):
    """One row per major incident: how many tickets it gathered and how long it took to solve (SQL view).

    The row id is the incident's ticket id, so every row drills down to the incident and its tickets.
    """

    _name = "helpdesk.major.incident.report"
    _description = "Major Incident Analysis"
    _auto = False
    _rec_name = "code"
    _order = "create_date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Major Incident", readonly=True)
    code = fields.Char(readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    create_date = fields.Datetime(string="Declared On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    category_id = fields.Many2one("helpdesk.category", string="Category", readonly=True)
    site_id = fields.Many2one("helpdesk.site", string="Site / Branch", readonly=True)
    stage_id = fields.Many2one("helpdesk.stage", string="Stage", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    incident_count = fields.Integer(string="# Major Incidents", readonly=True, aggregator="sum")
    child_count = fields.Integer(string="# Affected Tickets", readonly=True, aggregator="sum")
    open_child_count = fields.Integer(string="# Affected Tickets Open", readonly=True, aggregator="sum")
    customer_count = fields.Integer(string="# Affected Customers", readonly=True, aggregator="sum")
    resolution_hours = fields.Float(string="Time to Resolve (hours)", readonly=True, aggregator="avg")

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
                   t.site_id,
                   t.stage_id,
                   t.is_closed,
                   1 AS incident_count,
                   COALESCE(c.child_count, 0) AS child_count,
                   COALESCE(c.open_child_count, 0) AS open_child_count,
                   COALESCE(c.customer_count, 0) AS customer_count,
                   CASE WHEN t.is_closed
                        THEN EXTRACT(EPOCH FROM (t.date_closed - t.create_date)) / 3600.0 END AS resolution_hours
              FROM helpdesk_ticket t
              LEFT JOIN (
                    SELECT major_incident_id,
                           COUNT(*) AS child_count,
                           COUNT(*) FILTER (WHERE NOT is_closed) AS open_child_count,
                           COUNT(DISTINCT commercial_partner_id) AS customer_count
                      FROM helpdesk_ticket
                     WHERE major_incident_id IS NOT NULL AND active
                     GROUP BY major_incident_id
                   ) c ON c.major_incident_id = t.id
             WHERE t.active AND t.is_major_incident
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    def action_open_children(self):
        """Drill down: the affected tickets of the chosen incidents."""
        children = self.env["helpdesk.ticket"].search([("major_incident_id", "in", self.ticket_id.ids)])
        return children._get_records_action(name=self.env._("Affected Tickets"), context={"create": False})

    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id._get_records_action()
