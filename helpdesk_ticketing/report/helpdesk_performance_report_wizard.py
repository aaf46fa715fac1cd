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
    # A selection, not an integer: an integer field shows the year with a thousands separator ("2.026").
    year = fields.Selection(
        "_selection_years", required=True, default=lambda self: str(fields.Date.context_today(self).year)
    )

    @api.model
    def _selection_years(self):
        this_year = fields.Date.context_today(self).year
        return [(str(year), str(year)) for year in range(this_year, this_year - 10, -1)]

    @api.model
    def _default_team_ids(self):
        Team = self.env["helpdesk.team"]
        if self.env.context.get("active_model") == "helpdesk.team":
            return Team.browse(self.env.context.get("active_ids"))
        if self.env.user.has_group("helpdesk_ticketing.group_helpdesk_manager"):
            return Team.search([])
        return Team.search([("leader_id", "=", self.env.uid)])

    def action_print(self):
        """The teams travel in the report data: the web client puts no record ids in the URL of a
        report that has data (it asks /report/pdf/<report>?options=<data>)."""
        self.ensure_one()
        return self.env.ref("helpdesk_ticketing.action_report_technician_performance").report_action(
            self.team_ids,
            data={"team_ids": self.team_ids.ids, "month": int(self.month), "year": int(self.year)},
        )
