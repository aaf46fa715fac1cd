from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """Calls about the ticket, shown in its call log."""

    _inherit = "helpdesk.ticket"

    voip_call_ids = fields.One2many("helpdesk.voip.call", "ticket_id", string="Calls")
    voip_call_count = fields.Integer(compute="_compute_voip_call_count", string="Call Count")

    @api.depends("voip_call_ids")
    def _compute_voip_call_count(self):
        """Counted from the call log, which the ticket form shows anyway: one query for both."""
        for ticket in self:
            ticket.voip_call_count = len(ticket.voip_call_ids)

    @api.readonly
    def action_view_voip_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_voip.helpdesk_voip_call_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
