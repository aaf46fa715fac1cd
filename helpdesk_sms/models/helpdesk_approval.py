from odoo import api, models


class HelpdeskApproval(models.Model):
    _inherit = "helpdesk.approval"

    @api.model_create_multi
    def create(self, vals_list):
        approvals = super().create(vals_list)
        if not self.env.context.get("helpdesk_sms_creating"):
            approvals.filtered(lambda a: a.kind == "validation").ticket_id._sms_notify("approval")
        return approvals
