from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class HelpdeskPerformanceReport(models.AbstractModel):
    """Technician performance of a team over one month, printed for the monthly review."""

    _name = "report.helpdesk_ticketing.report_technician_performance"
    _description = "Technician Performance"

    @api.model
    def _period(self, data):
        today = fields.Date.context_today(self)
        year = int((data or {}).get("year") or today.year)
        month = int((data or {}).get("month") or today.month)
        start = date(year, month, 1)
        return start, start + relativedelta(months=1)

    @api.model
    def _technician_lines(self, teams, start, end):
        """{team id: [line per technician]}, read with one grouped query."""
        Report = self.env["helpdesk.ticket.report"]
        domain = [
            ("team_id", "in", teams.ids),
            ("is_closed", "=", True),
            ("date_closed", ">=", fields.Datetime.to_datetime(start)),
            ("date_closed", "<", fields.Datetime.to_datetime(end)),
        ]
        groups = Report._read_group(
            domain,
            ["team_id", "user_id"],
            [
                "ticket_count:sum",
                "solved_count:sum",
                "resolution_hours:avg",
                "sla_success_rate:avg",
                "rating:avg",
                "reopen_rate:avg",
                "reopen_count:sum",
            ],
        )
        lines = {team.id: [] for team in teams}
        for team, user, closed, solved, resolution, sla_rate, rating, reopen_rate, reopens in groups:
            lines[team.id].append(
                {
                    "user": user,
                    "closed": closed,
                    "solved": solved,
                    "resolution_hours": resolution or 0.0,
                    "sla_rate": sla_rate,
                    "rating": rating,
                    "reopen_rate": reopen_rate or 0.0,
                    "reopens": reopens,
                }
            )
        for team_lines in lines.values():
            team_lines.sort(key=lambda line: (-line["solved"], line["user"].name or ""))
        return lines

    @api.model
    def _get_report_values(self, docids, data=None):
        # The wizard sends the teams in the data (the web client puts no ids in the URL of a report with
        # data); a rendering from code may still pass them as docids.
        teams = self.env["helpdesk.team"].browse(docids or (data or {}).get("team_ids") or [])
        start, end = self._period(data)
        month_label = f"{start.month:02d}/{start.year}"
        return {
            "doc_ids": teams.ids,
            "doc_model": "helpdesk.team",
            "docs": teams,
            "period_start": start,
            "period_end": end - relativedelta(days=1),
            "period_label": month_label,
            "lines": self._technician_lines(teams, start, end),
        }
