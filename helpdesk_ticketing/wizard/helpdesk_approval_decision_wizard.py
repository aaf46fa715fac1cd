from odoo import fields, models


class HelpdeskApprovalDecisionWizard(models.TransientModel):
    """Approve or reject a request, with the comment the customer will read."""

    _name = "helpdesk.approval.decision.wizard"
    _description = "Approve or Reject a Request"

    approval_id = fields.Many2one("helpdesk.approval", required=True)
    decision = fields.Selection([("approved", "Approve"), ("rejected", "Reject")], required=True)
    comment = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approved":
            self.approval_id.action_approve(self.comment)
        else:
            self.approval_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
