import base64

from odoo import api, models
from odoo.exceptions import UserError


class HelpdeskWorkPermitReport(models.AbstractModel):
    """Work-permit letter of an approved site visit, with a QR code of the ticket code for the guards."""

    _name = "report.helpdesk_ticketing.report_work_permit"
    _description = "Work Permit Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        approvals = self.env["helpdesk.approval"].browse(docids)
        for approval in approvals:
            if approval.kind != "validation" or approval.state != "approved":
                raise UserError(
                    self.env._(
                        "Only approved requests have a work-permit letter: ticket %(code)s is “%(state)s”.",
                        code=approval.ticket_id.code,
                        state=dict(approval._fields["state"]._description_selection(self.env))[approval.state],
                    )
                )
        # Generating a barcode image needs no record access: it is a pure function of the code.
        report_action = self.env["ir.actions.report"].sudo()
        qr_codes = {
            approval.id: "data:image/png;base64,%s"
            % base64.b64encode(
                report_action.barcode("QR", approval.ticket_id.code, width=180, height=180, quiet=False)
            ).decode()
            for approval in approvals
        }
        return {
            "doc_ids": approvals.ids,
            "doc_model": "helpdesk.approval",
            "docs": approvals,
            "qr_codes": qr_codes,
            "visitors": {
                a.id: [v.strip() for v in (a.visitor_names or "").splitlines() if v.strip()] for a in approvals
            },
        }
