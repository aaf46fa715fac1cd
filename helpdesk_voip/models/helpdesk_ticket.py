from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """Calls about the ticket, shown in its call log."""

    _inherit = "helpdesk.ticket"

    voip_call_ids = fields.One2many("helpdesk.voip.call", "ticket_id", string="Calls")
    voip_call_count = fields.Integer(compute="_compute_voip_call_count", string="Call Count")

    def _compute_voip_call_count(self):
        counts = dict(self.env["helpdesk.voip.call"]._read_group(
            [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
        ))
        for ticket in self:
            ticket.voip_call_count = counts.get(ticket, 0)

    @api.readonly
    def action_view_voip_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_voip.helpdesk_voip_call_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action
