from odoo import api, fields, models

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class HelpdeskPerformanceReportWizard(models.TransientModel):
    """Pick the teams and the month of the technician performance PDF."""

    _name = "helpdesk.performance.report.wizard"
    _description = "Print Technician Performance"

    team_ids = fields.Many2many(
        "helpdesk.team", string="Teams", required=True, default=lambda self: self._default_team_ids()
    )
    month = fields.Selection(MONTHS, required=True, default=lambda self: str(fields.Date.context_today(self).month))
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)

    @api.model
    def _default_team_ids(self):
        if self.env.context.get("active_model") == "helpdesk.team":
            return self.env["helpdesk.team"].browse(self.env.context.get("active_ids"))
        return self.env["helpdesk.team"].search([("leader_id", "=", self.env.uid)])

    def action_print(self):
        self.ensure_one()
        return self.env.ref("helpdesk_ticketing.action_report_technician_performance").report_action(
            self.team_ids, data={"month": int(self.month), "year": self.year}
        )
