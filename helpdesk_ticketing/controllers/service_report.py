from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from .portal import HelpdeskCustomerPortal


class HelpdeskServiceReportPortal(HelpdeskCustomerPortal):
    @http.route(["/my/tickets/<int:ticket_id>/service_report"], type="http", auth="user", website=True)
    def portal_ticket_service_report(self, ticket_id, download=False, **kw):
        try:
            ticket_sudo = self._ticket_check_access(ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        blocker = ticket_sudo._service_report_blocker()
        if blocker:
            return self._ticket_error_page(ticket_sudo, blocker)
        # Rendered as the system: the customer may read the ticket, not the report action.
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(ticket_sudo.company_id)
            ._render_qweb_pdf("helpdesk_ticketing.action_report_service", ticket_sudo.ids)[0]
        )
        filename = "%s.pdf" % request.env._("Service Report %(code)s", code=ticket_sudo.code).replace("/", "-")
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition",
                 content_disposition(filename, disposition_type="attachment" if download else "inline")),
            ],
        )
