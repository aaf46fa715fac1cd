from odoo import api, models


class HelpdeskServiceReport(models.AbstractModel):
    """Service report of a ticket, refused until the work is solved and signed off."""

    _name = "report.helpdesk_ticketing.report_service"
    _description = "Service Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        tickets = self.env["helpdesk.ticket"].browse(docids)
        tickets._check_service_report_printable()
        return {
            "doc_ids": tickets.ids,
            "doc_model": "helpdesk.ticket",
            "docs": tickets,
            "signoffs": {ticket.id: ticket._service_report_signoff() for ticket in tickets},
        }
