from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .portal import HelpdeskCustomerPortal


class HelpdeskServiceReportPortal(HelpdeskCustomerPortal):
    @http.route(["/my/tickets/<int:ticket_id>/service_report"], type="http", auth="user", website=True, readonly=True)
    def portal_ticket_service_report(self, ticket_id, download=False, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        blocker = ticket_sudo._service_report_blocker()
        if blocker:
            return self._ticket_error_page(ticket_sudo, blocker)
        filename = request.env._("Service Report %(code)s", code=ticket_sudo.code)
        return self._ticket_pdf_response(
            ticket_sudo, "helpdesk_ticketing.action_report_service", ticket_sudo, filename, download
        )
